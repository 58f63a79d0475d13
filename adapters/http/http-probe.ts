import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type BlockList } from 'node:net';
import { allowListOf, forbiddenResolvedAddress } from '../../domain/plan/probe-target';
import type { HealthProbe, ProbeResult } from '../../ports/health-probe';

/** Resolves a host name to all its addresses (node:dns lookup with `all: true`). */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

const resolveWithDns: ResolveAll = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/** A resolved address the probe may not connect to: the probe fails, and nothing is sent. */
class RefusedAddress extends Error {}

export interface HttpProbeProps {
  /** An http(s) URL without credentials. */
  readonly url: string;
  /** The status a healthy endpoint answers with; redirects are not followed. */
  readonly expectStatus: number;
  /** Slower answers (until the body is read) are unhealthy. */
  readonly latencyBudgetMs: number;
  /**
   * When to give up waiting for an answer.
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * When set (on AWS), the host is resolved at probe time and the probe refuses to connect when any of
   * its addresses is forbidden (metadata service, loopback, link-local) or private and not in this
   * allow-list (`cutover:allowedProbeTargets`); it connects to the address it checked, so a second
   * lookup cannot rebind the name. Unset in the local rehearsal, whose apps listen on loopback.
   */
  readonly allowedTargets?: readonly string[];
  /** @default node:dns lookup of all addresses */
  readonly resolveAll?: ResolveAll;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** GETs a URL: healthy when it answers with the expected status within the latency budget. */
export class HttpProbe implements HealthProbe {
  /** Origin and path only: query strings may carry tokens, and the name goes into logs. */
  readonly name: string;
  private readonly url: URL;
  private readonly expectStatus: number;
  private readonly latencyBudgetMs: number;
  private readonly timeoutMs: number;
  private readonly allowed?: BlockList;
  private readonly resolveAll: ResolveAll;

  constructor(props: HttpProbeProps) {
    if (!URL.canParse(props.url)) throw new Error('url must be an absolute http(s) URL');
    this.url = new URL(props.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new Error(`url must use http or https, got ${this.url.protocol}`);
    }
    if (this.url.username || this.url.password) throw new Error('url must not carry credentials');
    if (!Number.isInteger(props.expectStatus) || props.expectStatus < 100 || props.expectStatus > 599) {
      throw new Error(`expectStatus must be an HTTP status (100-599), got ${props.expectStatus}`);
    }
    if (!(props.latencyBudgetMs > 0))
      throw new Error(`latencyBudgetMs must be positive, got ${props.latencyBudgetMs}`);
    const timeoutMs = props.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new Error(`timeoutMs must be positive, got ${timeoutMs}`);
    this.expectStatus = props.expectStatus;
    this.latencyBudgetMs = props.latencyBudgetMs;
    this.timeoutMs = timeoutMs;
    if (props.allowedTargets) this.allowed = allowListOf(props.allowedTargets);
    this.resolveAll = props.resolveAll ?? resolveWithDns;
    this.name = `http ${this.url.origin}${this.url.pathname}`;
  }

  /** Throws only when `signal` aborts: the caller gave up, which is no verdict on the endpoint. */
  async check(signal?: AbortSignal): Promise<ProbeResult> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const started = performance.now();
    try {
      const status = await this.get(signal ? AbortSignal.any([signal, timeout]) : timeout);
      const ms = Math.round(performance.now() - started);
      if (status !== this.expectStatus) {
        return this.result('unhealthy', `status ${status}, expected ${this.expectStatus} (${ms} ms)`);
      }
      if (ms > this.latencyBudgetMs) {
        return this.result('unhealthy', `took ${ms} ms, over the ${this.latencyBudgetMs} ms budget`);
      }
      return this.result('healthy', `status ${status} in ${ms} ms`);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) return this.result('unhealthy', `no answer within ${this.timeoutMs} ms`);
      if (error instanceof RefusedAddress) return this.result('unhealthy', error.message);
      return this.result('unhealthy', `request failed: ${reason(error)}`);
    }
  }

  /** GETs the URL (no redirect followed, body read to the end) and answers its status. */
  private get(signal: AbortSignal): Promise<number> {
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const options: RequestOptions = {
      method: 'GET',
      headers: { 'user-agent': 'cutover-health-probe' },
      signal,
      ...(this.allowed ? { lookup: this.checkedLookup(this.allowed) } : {}),
    };
    return new Promise((resolve, reject) => {
      const host = this.url.hostname.replace(/^\[(.*)\]$/, '$1');
      const literal = this.allowed && isIP(host) ? this.refusal([host], this.allowed) : undefined;
      if (literal) return reject(literal);
      const request = send(this.url, options, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', reject);
      });
      request.once('error', reject);
      request.end();
    });
  }

  /** The socket's lookup: every address of the name is checked, and only checked ones are connected to. */
  private checkedLookup(allowed: BlockList): NonNullable<RequestOptions['lookup']> {
    return (hostname, options, callback) => {
      this.resolveAll(hostname).then(
        (addresses) => {
          const refused = this.refusal(
            addresses.map((a) => a.address),
            allowed,
            hostname,
          );
          if (refused) return callback(refused, '', 0);
          if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), '', 0);
          if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
          callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, '', 0),
      );
    };
  }

  private refusal(
    addresses: readonly string[],
    allowed: BlockList,
    hostname?: string,
  ): RefusedAddress | undefined {
    for (const address of addresses) {
      const problem = forbiddenResolvedAddress(address, allowed);
      if (problem) {
        return new RefusedAddress(
          `refused: ${hostname ? `${hostname} resolves to ` : ''}${problem}; the probe does not connect`,
        );
      }
    }
    return undefined;
  }

  private result(outcome: ProbeResult['outcome'], detail: string): ProbeResult {
    return { probe: this.name, outcome, detail };
  }
}

/**
 * fetch reports "fetch failed" and keeps the cause (ECONNREFUSED, ENOTFOUND, a TLS error) underneath.
 * Read by shape, not instanceof: fetch's errors may come from another realm (e.g. under Jest).
 */
function reason(error: unknown): string {
  const cause = field(error, 'cause');
  return (
    text(field(error, 'code')) ??
    text(field(cause, 'code')) ??
    text(field(cause, 'message')) ??
    text(field(error, 'message')) ??
    String(error)
  );
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
