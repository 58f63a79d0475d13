import { longestTtl } from '../dns/record-name';
import { durationSeconds } from '../duration';
import type { Plan } from '../plan/schema';
import { expandSteps } from '../traffic/strategy';
import { ALL_BLUE, weightsFor, type Weights } from '../traffic/weights';
import type { Phase, PhaseKind, Schedule, ShiftStep } from './schedule';
import { Timing } from './timing';

type PhaseDraft = Omit<Phase, 'cumulativeEarliestSeconds' | 'cumulativeWorstSeconds' | 'weights'> & {
  readonly weights?: Weights;
};

const ON_FAILURE: Record<PhaseKind, string> = {
  preflight: 'nothing has changed: release the lock and stop',
  deploy: 'traffic untouched: release the lock and stop (the green stack is kept for inspection)',
  shift: 'roll back: weights to blue 100 %, wait until INSYNC, release the lock, notify',
  'database-prepare': 'roll back: unfreeze writes, weights to blue 100 %, release the lock, notify',
  'database-switch': 'point of no return: pause for an operator to roll forward or restore',
  finalize: 'cutover is complete: retry finalizing, then alert an operator',
};

/** Resolves a validated plan into the ordered phases a cutover runs, with weights and time bounds. */
export function resolveSchedule(plan: Plan): Schedule {
  const ttlSeconds = longestTtl(plan.dns.records);
  const bakeSeconds = durationSeconds(plan.traffic.bake);
  const waitsForHuman = plan.traffic.onHealthFailure === 'pause' || plan.health.inconclusive === 'pause';
  const decisionSeconds = waitsForHuman ? durationSeconds(plan.traffic.decisionTimeout) : 0;

  const steps: ShiftStep[] = expandSteps(plan.traffic).map((greenPercent, index) => ({
    index,
    greenPercent,
    weights: weightsFor(greenPercent),
    bakeSeconds,
    ttlSeconds,
  }));

  const drafts: PhaseDraft[] = [
    draft('preflight', 'preflight', 'Preflight checks', 0, Timing.preflight.earliest, Timing.preflight.worst),
    deployPhase(plan),
    ...steps.map((step) =>
      draft(
        `shift-${step.index + 1}`,
        'shift',
        `Shift to ${step.greenPercent} % green`,
        step.greenPercent,
        Timing.route53InSync.earliest + ttlSeconds + bakeSeconds,
        Timing.route53InSync.worst + ttlSeconds + bakeSeconds + decisionSeconds,
        bakeSeconds,
      ),
    ),
    ...databasePhases(plan),
    draft(
      'finalize',
      'finalize',
      'Finalize and release the lock',
      100,
      Timing.finalize.earliest,
      Timing.finalize.worst,
    ),
  ];
  const phases = accumulate(drafts);
  const last = phases[phases.length - 1]!;
  return {
    name: plan.name,
    steps,
    phases,
    earliestSeconds: last.cumulativeEarliestSeconds,
    worstCaseSeconds: last.cumulativeWorstSeconds,
  };
}

function deployPhase(plan: Plan): PhaseDraft {
  if (plan.deploy.kind !== 'none') {
    const timeout = durationSeconds(plan.deploy.timeout);
    const what =
      plan.deploy.kind === 'cloudformation'
        ? `Deploy stack ${plan.deploy.stackName}`
        : `Deploy ${plan.deploy.image} on ECS service ${plan.deploy.service}`;
    return draft('deploy', 'deploy', what, 0, Math.min(Timing.deployStackEarliest, timeout), timeout);
  }
  return draft(
    'deploy',
    'deploy',
    'Verify green is deployed',
    0,
    Timing.verifyDeployed.earliest,
    Timing.verifyDeployed.worst,
  );
}

function databasePhases(plan: Plan): PhaseDraft[] {
  const db = plan.database;
  if (db.kind === 'none') return [];
  const approvalSeconds = db.approval === 'required' ? durationSeconds(db.approvalTimeout) : 0;
  const catchUpSeconds = durationSeconds(db.catchUpTimeout);
  const prepareEarliest = Timing.replicationCatchUpEarliest + Timing.dataVerification.earliest;
  const prepareWorst = approvalSeconds + catchUpSeconds + Timing.dataVerification.worst;
  const prepareTitle =
    db.approval === 'required'
      ? 'Approve, freeze writes, catch up, verify'
      : 'Freeze writes, catch up, verify';
  if (db.kind === 'rds-blue-green') {
    const timeout = durationSeconds(db.switchoverTimeout);
    return [
      draft(
        'database-prepare',
        'database-prepare',
        db.approval === 'required' ? 'Approve, check replica lag' : 'Check replica lag',
        100,
        Timing.replicationCatchUpEarliest,
        approvalSeconds + catchUpSeconds,
      ),
      draft(
        'database-switch',
        'database-switch',
        `RDS Blue/Green switchover ${db.blueGreenDeploymentId}`,
        100,
        Math.min(Timing.rdsSwitchoverEarliest, timeout),
        timeout,
      ),
    ];
  }
  const switchWorst = durationSeconds(db.maxWriteFreeze) + Timing.route53InSync.worst + db.endpoint.ttl;
  const switchEarliest = Timing.route53InSync.earliest + db.endpoint.ttl;
  const action = db.kind === 'rds-read-replica' ? `promote ${db.replicaInstanceId}, ` : '';
  return [
    draft('database-prepare', 'database-prepare', prepareTitle, 100, prepareEarliest, prepareWorst),
    draft(
      'database-switch',
      'database-switch',
      `Switch database: ${action}repoint ${db.endpoint.name}`,
      100,
      switchEarliest,
      switchWorst,
    ),
  ];
}

function draft(
  id: string,
  kind: PhaseKind,
  title: string,
  greenPercent: number,
  earliestSeconds: number,
  worstSeconds: number,
  bakeSeconds = 0,
): PhaseDraft {
  const pointOfNoReturn = kind === 'database-switch';
  return {
    id,
    kind,
    title,
    greenPercent,
    bakeSeconds,
    earliestSeconds,
    worstSeconds,
    pointOfNoReturn,
    reversible: true,
    onFailure: ON_FAILURE[kind],
  };
}

/** Adds running totals and marks every phase from the point of no return on as irreversible. */
function accumulate(drafts: readonly PhaseDraft[]): Phase[] {
  let earliest = 0;
  let worst = 0;
  let pastPointOfNoReturn = false;
  return drafts.map((d) => {
    earliest += d.earliestSeconds;
    worst += d.worstSeconds;
    pastPointOfNoReturn ||= d.pointOfNoReturn;
    return {
      ...d,
      weights: d.greenPercent === 0 ? ALL_BLUE : weightsFor(d.greenPercent),
      reversible: !pastPointOfNoReturn,
      cumulativeEarliestSeconds: earliest,
      cumulativeWorstSeconds: worst,
    };
  });
}

/**
 * The longest an execution of this schedule can run when every wait runs to its timeout: the phases'
 * worst cases, each bake's grace, the operator's question after a failed switch, and the rollback.
 * It must stay within the execution's own timeout, or Step Functions ends the run with no cleanup.
 */
export function executionWorstCaseSeconds(schedule: Schedule): number {
  const switches = schedule.phases.some((p) => p.pointOfNoReturn);
  return (
    schedule.worstCaseSeconds +
    schedule.steps.length * Timing.bakeGrace +
    (switches ? Timing.operatorDecision : 0) +
    Timing.rollbackWorst
  );
}
