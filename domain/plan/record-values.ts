import { isIPv4, isIPv6 } from 'node:net';
import { ROUTE53_VALUE_MAX_CHARACTERS } from '../aws-limits';
import type { PlanIssue } from '../errors';
import { showValue } from '../safe-text';
import { dnsNameProblem } from './fields';
import type { DnsRecord } from './schema';

/**
 * Route 53's own rules for the values of a weighted record, by type, so that a plan it would refuse
 * never reaches the first SetWeights: A holds IPv4 addresses, AAAA IPv6 addresses, and a CNAME
 * exactly one domain name. Both sides must differ, or the shift changes nothing.
 */
export function checkRecordValues(record: DnsRecord, path: string): PlanIssue[] {
  const issues: PlanIssue[] = [];
  for (const side of ['blue', 'green'] as const) {
    const values = record[side].values;
    if (!values) continue;
    const here = `${path}.${side}.values`;
    if (record.type === 'CNAME' && values.length !== 1) {
      issues.push({
        path: here,
        message: `a CNAME has exactly one value, got ${values.length}; use an A/AAAA record for several addresses`,
      });
    }
    const seen = new Set<string>();
    values.forEach((value, i) => {
      const problem = valueProblem(record.type, value);
      if (problem) issues.push({ path: `${here}[${i}]`, message: `${showValue(value)} ${problem}` });
      const normal = value.toLowerCase().replace(/\.$/, '');
      if (seen.has(normal)) {
        issues.push({
          path: `${here}[${i}]`,
          message: `${showValue(value)} is listed twice; Route 53 refuses duplicate values`,
        });
      }
      seen.add(normal);
    });
  }
  if (sameTarget(record)) {
    issues.push({
      path: `${path}.green`,
      message:
        'points where blue points; the shift would change nothing (give green its own values or alias)',
    });
  }
  return issues;
}

function valueProblem(type: DnsRecord['type'], value: string): string | undefined {
  if (/\$\{[^}]*\}?/.test(value)) {
    return 'looks like an unexpanded variable; a plan is not templated, so write the value itself';
  }
  if (value.length > ROUTE53_VALUE_MAX_CHARACTERS) {
    return `is ${value.length} characters long; Route 53 takes at most ${ROUTE53_VALUE_MAX_CHARACTERS}`;
  }
  switch (type) {
    case 'A':
      return isIPv4(value)
        ? undefined
        : 'is not an IPv4 address; an A record holds addresses like 192.0.2.10';
    case 'AAAA':
      return isIPv6(value)
        ? undefined
        : 'is not an IPv6 address; an AAAA record holds addresses like 2001:db8::10';
    case 'CNAME': {
      if (isIPv4(value) || isIPv6(value)) {
        return 'is an IP address; a CNAME points at a domain name (use an A or AAAA record for addresses)';
      }
      const problem = dnsNameProblem(value);
      return problem ? `${problem}; a CNAME points at a domain name` : undefined;
    }
  }
}

function sameTarget(record: DnsRecord): boolean {
  const { blue, green } = record;
  if (blue.values && green.values) {
    const normal = (values: readonly string[]) =>
      values
        .map((v) => v.toLowerCase().replace(/\.$/, ''))
        .sort()
        .join('\n');
    return normal(blue.values) === normal(green.values);
  }
  if (blue.alias && green.alias) {
    return (
      blue.alias.hostedZoneId === green.alias.hostedZoneId &&
      blue.alias.dnsName.toLowerCase().replace(/\.$/, '') ===
        green.alias.dnsName.toLowerCase().replace(/\.$/, '')
    );
  }
  return false;
}
