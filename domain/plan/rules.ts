import { EXECUTION_TIMEOUT_SECONDS } from '../aws-limits';
import { hasEndpoint } from './endpoint';
import { longestTtl, normalizeRecordName, sameRecordName } from '../dns/record-name';
import { durationSeconds, formatDuration } from '../duration';
import type { PlanIssue } from '../errors';
import { executionWorstCaseSeconds, resolveSchedule } from '../schedule/resolve';
import { privateProbeTarget } from './probe-target';
import { checkRecordValues } from './record-values';
import type { Plan } from './schema';

/** A TTL above this makes a health-based rollback slow to reach clients. */
export const MAX_RECOMMENDED_TTL_SECONDS = 300;

/** A human wait shorter than this is likely a slip: the safe default (roll back) comes before anyone reads. */
const MIN_HUMAN_WAIT_SECONDS = 60;

export interface RuleOptions {
  /** Private addresses (or CIDR blocks) probes may reach: the orchestrator's `cutover:allowedProbeTargets`. */
  readonly allowedProbeTargets?: readonly string[];
  /**
   * The topics the orchestrator may publish to (`cutover:notificationTopicArns`).
   * @default - not checked (the plan is previewed away from an orchestrator)
   */
  readonly allowedNotificationTopics?: readonly string[];
}

/** Rules that span fields, checked once the plan has the right shape. Returns errors and warnings. */
export function checkRules(
  plan: Plan,
  options: RuleOptions = {},
): { errors: PlanIssue[]; warnings: PlanIssue[] } {
  const errors: PlanIssue[] = [];
  const warnings: PlanIssue[] = [];
  checkTraffic(plan, errors);
  checkRecords(plan, errors, warnings);
  checkProbes(plan, options, errors);
  checkNotificationTopic(plan, options, errors);
  checkDatabase(plan, errors, warnings);
  checkHumanWaits(plan, warnings);
  if (errors.length === 0) checkWorstCase(plan, errors);
  return { errors, warnings };
}

function checkProbes(plan: Plan, options: RuleOptions, errors: PlanIssue[]): void {
  plan.health.probes.forEach((probe, i) => {
    if (probe.kind !== 'http') return;
    const problem = privateProbeTarget(probe.url, options.allowedProbeTargets ?? []);
    if (problem) errors.push({ path: `health.probes[${i}].url`, message: problem });
  });
}

function checkNotificationTopic(plan: Plan, options: RuleOptions, errors: PlanIssue[]): void {
  const topic = plan.notifications?.snsTopicArn;
  if (!topic || !options.allowedNotificationTopics || options.allowedNotificationTopics.includes(topic))
    return;
  errors.push({
    path: 'notifications.snsTopicArn',
    message: `${topic} is not a topic this orchestrator may publish to; add it to cdk.json context "cutover:notificationTopicArns"`,
  });
}

function checkHumanWaits(plan: Plan, warnings: PlanIssue[]): void {
  const waits: [string, string][] = [];
  if (plan.traffic.onHealthFailure === 'pause' || plan.health.inconclusive === 'pause') {
    waits.push(['traffic.decisionTimeout', plan.traffic.decisionTimeout]);
  }
  if (plan.database.kind !== 'none' && plan.database.approval === 'required') {
    waits.push(['database.approvalTimeout', plan.database.approvalTimeout]);
  }
  for (const [path, text] of waits) {
    if (durationSeconds(text) < MIN_HUMAN_WAIT_SECONDS) {
      warnings.push({
        path,
        message: `${text} leaves an operator almost no time to answer; the wait will end in a rollback`,
      });
    }
  }
}

/** Refuses a plan the execution cannot finish: Step Functions would end it with the lock held. */
function checkWorstCase(plan: Plan, errors: PlanIssue[]): void {
  const worst = executionWorstCaseSeconds(resolveSchedule(plan));
  if (worst > EXECUTION_TIMEOUT_SECONDS) {
    errors.push({
      path: 'traffic',
      message: `the worst case runs ${formatDuration(worst)} (every step's bake and decision, the database gates and an operator's answer after a failed switch), over the execution's ${formatDuration(EXECUTION_TIMEOUT_SECONDS)} timeout; use fewer steps or shorter bakes and timeouts`,
    });
  }
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
    errors.push(...checkRecordValues(record, `dns.records[${i}]`));
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
}
