import { hasEndpoint } from './endpoint';
import { longestTtl, normalizeRecordName, sameRecordName } from '../dns/record-name';
import { durationSeconds, formatDuration } from '../duration';
import type { PlanIssue } from '../errors';
import type { Plan } from './schema';

/** A TTL above this makes a health-based rollback slow to reach clients. */
export const MAX_RECOMMENDED_TTL_SECONDS = 300;

/** Rules that span fields, checked once the plan has the right shape. Returns errors and warnings. */
export function checkRules(plan: Plan): { errors: PlanIssue[]; warnings: PlanIssue[] } {
  const errors: PlanIssue[] = [];
  const warnings: PlanIssue[] = [];
  checkTraffic(plan, errors);
  checkRecords(plan, errors, warnings);
  checkDatabase(plan, errors, warnings);
  return { errors, warnings };
}

function checkTraffic(plan: Plan, errors: PlanIssue[]): void {
  const { steps, strategy } = plan.traffic;
  if ((steps === undefined) === (strategy === undefined)) {
    errors.push({
      path: 'traffic',
      message:
        'give exactly one of "steps" (e.g. [1, 10, 50, 100]) or "strategy" (canary, linear, all-at-once)',
    });
  }
  steps?.forEach((step, i) => {
    const previous = steps[i - 1];
    if (previous !== undefined && step <= previous) {
      errors.push({
        path: `traffic.steps[${i}]`,
        message: `${step} does not increase on the previous step (${previous}); green's share must grow step by step`,
      });
    }
  });
  const last = steps?.[steps.length - 1];
  if (steps && last !== 100) {
    errors.push({
      path: `traffic.steps[${steps.length - 1}]`,
      message: `the last step is ${last}, expected 100; a cutover ends with all traffic on green`,
    });
  }

  const bake = durationSeconds(plan.traffic.bake);
  const maxTtl = longestTtl(plan.dns.records);
  const slowest = plan.dns.records.find((r) => r.ttl === maxTtl);
  if (slowest && bake < maxTtl) {
    errors.push({
      path: 'traffic.bake',
      message: `${plan.traffic.bake} is shorter than the TTL of ${slowest.name} (${maxTtl}s); clients would not yet see a step when it is judged`,
    });
  }
  const detection = durationSeconds(plan.health.interval) * plan.health.failureThreshold;
  if (bake < detection) {
    errors.push({
      path: 'traffic.bake',
      message: `${plan.traffic.bake} is shorter than the time needed to detect a failure (health.interval × health.failureThreshold = ${formatDuration(detection)})`,
    });
  }
}

function checkRecords(plan: Plan, errors: PlanIssue[], warnings: PlanIssue[]): void {
  const seen = new Map<string, number>();
  plan.dns.records.forEach((record, i) => {
    const key = `${record.hostedZoneId}/${normalizeRecordName(record.name)}/${record.type}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        path: `dns.records[${i}].name`,
        message: `${record.name} (${record.type}) is already listed as dns.records[${first}]; list each record once`,
      });
    }
    seen.set(key, i);
    if (record.blue.setIdentifier === record.green.setIdentifier) {
      errors.push({
        path: `dns.records[${i}].green.setIdentifier`,
        message: `"${record.green.setIdentifier}" is also blue's set identifier; the two weighted records need different ones`,
      });
    }
    if (record.ttl > MAX_RECOMMENDED_TTL_SECONDS) {
      warnings.push({
        path: `dns.records[${i}].ttl`,
        message: `${record.ttl}s means a rollback can take ${formatDuration(record.ttl)} to reach clients; ${MAX_RECOMMENDED_TTL_SECONDS}s or less is recommended`,
      });
    }
  });
}

function checkDatabase(plan: Plan, errors: PlanIssue[], warnings: PlanIssue[]): void {
  const db = plan.database;
  if (hasEndpoint(db)) {
    const clash = plan.dns.records.findIndex((r) => sameRecordName(r.name, db.endpoint.name));
    if (clash >= 0) {
      errors.push({
        path: 'database.endpoint.name',
        message: `${db.endpoint.name} is also dns.records[${clash}]; the database endpoint must be its own record`,
      });
    }
    if (db.endpoint.blue === db.endpoint.green) {
      errors.push({
        path: 'database.endpoint.green',
        message: 'is the same host as blue; the switch would change nothing',
      });
    }
    if (durationSeconds(db.maxWriteFreeze) > 60) {
      warnings.push({
        path: 'database.maxWriteFreeze',
        message: `${db.maxWriteFreeze} of frozen writes is an outage for writers; a few seconds is usual`,
      });
    }
  }
  if (db.kind === 'rds-blue-green') {
    const timeout = durationSeconds(db.switchoverTimeout);
    if (timeout < 30 || timeout > 3600) {
      errors.push({
        path: 'database.switchoverTimeout',
        message: `${db.switchoverTimeout} is outside what RDS accepts (30s to 1h)`,
      });
    }
  }
}
