import type { WeightedPair, WeightedSide } from '../context/execution-context';
import { normalizeRecordName } from './record-name';

/** Blue's weighted record as Route 53 serves it today. */
export interface LiveSide {
  /** Absent for an alias record (it takes the target's TTL). */
  readonly ttl?: number | undefined;
  readonly values?: readonly string[] | undefined;
  readonly alias?: WeightedSide['alias'];
}

/**
 * Where the live blue record differs from the plan's description of it, one line per field. The plan's
 * blue side is written back on the first step and on rollback, so a plan that misdescribes blue would
 * overwrite production with something else: preflight refuses it instead.
 */
export function blueMismatches(pair: WeightedPair, live: LiveSide): string[] {
  const where = `record ${pair.name} (${pair.type}, set "${pair.blue.setIdentifier}") in zone ${pair.hostedZoneId}`;
  const differs = (field: string, liveValue: string, planValue: string) =>
    `${where}: ${field} is ${liveValue} live, ${planValue} in the plan; describe blue as it is (rollback writes it back)`;
  const plan = pair.blue;
  if (plan.alias && !live.alias)
    return [differs('blue.alias', 'absent (a plain record)', aliasText(plan.alias))];
  if (!plan.alias && live.alias)
    return [differs('blue.alias', aliasText(live.alias), 'absent (plain values)')];
  const problems: string[] = [];
  if (plan.alias && live.alias) {
    if (hostName(plan.alias.dnsName) !== hostName(live.alias.dnsName)) {
      problems.push(differs('blue.alias.dnsName', live.alias.dnsName, plan.alias.dnsName));
    }
    if (plan.alias.hostedZoneId !== live.alias.hostedZoneId) {
      problems.push(differs('blue.alias.hostedZoneId', live.alias.hostedZoneId, plan.alias.hostedZoneId));
    }
    if (plan.alias.evaluateTargetHealth !== live.alias.evaluateTargetHealth) {
      problems.push(
        differs(
          'blue.alias.evaluateTargetHealth',
          String(live.alias.evaluateTargetHealth),
          String(plan.alias.evaluateTargetHealth),
        ),
      );
    }
    return problems;
  }
  const planValues = valueSet(pair, plan.values ?? []);
  const liveValues = valueSet(pair, live.values ?? []);
  if (planValues.join(',') !== liveValues.join(',')) {
    problems.push(differs('blue.values', `[${liveValues.join(', ')}]`, `[${planValues.join(', ')}]`));
  }
  if (live.ttl !== pair.ttl) problems.push(differs('ttl', String(live.ttl ?? 'absent'), String(pair.ttl)));
  return problems;
}

function aliasText(alias: NonNullable<WeightedSide['alias']>): string {
  return `${alias.dnsName} (zone ${alias.hostedZoneId})`;
}

/** Route 53 stores an ALB alias as `dualstack.<name>.` when made in the console; both reach the same target. */
function hostName(name: string): string {
  return normalizeRecordName(name).replace(/^dualstack\./, '');
}

/** Values compared as a set; host names (CNAME) case- and trailing-dot-insensitively. */
function valueSet(pair: WeightedPair, values: readonly string[]): string[] {
  const normalized =
    pair.type === 'CNAME' ? values.map(normalizeRecordName) : values.map((v) => v.toLowerCase());
  return [...new Set(normalized)].sort();
}
