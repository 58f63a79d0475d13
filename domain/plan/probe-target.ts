import { BlockList, isIP } from 'node:net';
import { showValue } from '../safe-text';

/**
 * Where a health probe may not go. The watcher runs inside the orchestrator's account with its role's
 * credentials nearby, so a probe at the instance metadata service, the Lambda Runtime API (loopback)
 * or any link-local address could read or disturb what it must not.
 */
const FORBIDDEN: readonly [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'an unspecified ("this host") address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address (the metadata service lives there)'],
  ['::', 128, 'ipv6', 'the unspecified address'],
  ['::1', 128, 'ipv6', 'the loopback address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['fd00:ec2::', 32, 'ipv6', 'the EC2 metadata service'],
];

/** Private ranges: allowed only when the orchestrator's configuration lists the address. */
const PRIVATE: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
];

/** Host names that always mean this machine or the metadata service. */
const FORBIDDEN_NAME =
  /^(localhost|.*\.localhost|localhost\.localdomain|instance-data(\.ec2\.internal)?)\.?$/i;

const forbidden = FORBIDDEN.map(([address, prefix, family, what]) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return { list, what };
});
const privateRanges = new BlockList();
for (const [address, prefix, family] of PRIVATE) privateRanges.addSubnet(address, prefix, family);

/** The address a URL host names literally (brackets off, IPv4-mapped IPv6 as IPv4), if it is one. */
function literalAddress(hostname: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const version = isIP(host);
  if (version === 4) return { address: host, family: 'ipv4' };
  if (version !== 6) return undefined;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(host);
  if (mapped) {
    const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
    return { address: [high >> 8, high & 255, low >> 8, low & 255].join('.'), family: 'ipv4' };
  }
  return { address: host, family: 'ipv6' };
}

/** Why a probe may never reach `url`, whatever the configuration; undefined when it may. */
export function forbiddenProbeTarget(url: string): string | undefined {
  if (!URL.canParse(url)) return 'is not an absolute URL';
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `uses ${showValue(parsed.protocol.replace(/:$/, ''))}; a probe speaks http or https`;
  }
  if (parsed.username || parsed.password) {
    return 'carries user info ("user:password@"); a probe sends no credentials, and a plan holds none';
  }
  if (FORBIDDEN_NAME.test(parsed.hostname)) {
    return `targets ${showValue(parsed.hostname)}, this machine; probe green through its load balancer or public name`;
  }
  const literal = literalAddress(parsed.hostname);
  if (!literal) return undefined;
  const hit = forbidden.find(({ list }) => list.check(literal.address, literal.family));
  return hit ? `targets ${literal.address}, ${hit.what}; a probe may not reach it` : undefined;
}

/**
 * Why a probe may not reach `url` under this configuration: a private address is allowed only when
 * `allowed` lists it (an address or a CIDR block).
 */
export function privateProbeTarget(url: string, allowed: readonly string[]): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const literal = literalAddress(new URL(url).hostname);
  if (!literal || !privateRanges.check(literal.address, literal.family)) return undefined;
  if (allowListOf(allowed).check(literal.address, literal.family)) return undefined;
  return `targets ${literal.address}, a private address; list it in the orchestrator's configuration (cdk.json context "cutover:allowedProbeTargets") to allow it`;
}

/**
 * Why a probe may not connect to `address`, an IP address its host name resolved to: the same rules as
 * a literal address in the plan (never a forbidden range; a private one only when `allowed` lists it).
 */
export function forbiddenResolvedAddress(address: string, allowed: BlockList): string | undefined {
  const literal = literalAddress(address);
  if (!literal) return `${showValue(address)} is not an IP address`;
  const hit = forbidden.find(({ list }) => list.check(literal.address, literal.family));
  if (hit) return `${literal.address}, ${hit.what}`;
  if (
    privateRanges.check(literal.address, literal.family) &&
    !allowed.check(literal.address, literal.family)
  ) {
    return `${literal.address}, a private address not listed in "${PROBE_ALLOW_LIST_KEY}"`;
  }
  return undefined;
}

/** A BlockList holding the configured addresses and CIDR blocks; throws on a malformed entry. */
export function allowListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) {
      throw new RangeError(`allowed probe target ${showValue(entry)} is not an IP address or CIDR block`);
    }
    const family = version === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** The cdk.json context key of the private addresses probes may reach (the orchestrator's configuration). */
export const PROBE_ALLOW_LIST_KEY = 'cutover:allowedProbeTargets';

/** The `cutover:allowedProbeTargets` configuration: a list of IP addresses or CIDR blocks. */
export function parseAllowedProbeTargets(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
    throw new RangeError(`${where}: expected a list of IP addresses or CIDR blocks`);
  }
  try {
    allowListOf(value);
  } catch (error) {
    throw new RangeError(`${where}: ${(error as Error).message}`);
  }
  return value;
}
