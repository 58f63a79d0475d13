import { durationSeconds } from '../../domain/duration';
import { resolveSchedule } from '../../domain/schedule/resolve';
import { Timing } from '../../domain/schedule/timing';
import type { CutoverContext } from '../contracts';
import { stepBase } from '../contracts';
import { defineStep, planOf } from '../step';

/** After the switch, how long the workflow waits for an operator to choose roll-forward or restore. */
export const OPERATOR_DECISION_SECONDS = 24 * 3600;
/** A bake whose watcher falls silent times out this long after its worst-case end, and rolls back. */
export const BAKE_GRACE_SECONDS = 300;

/** Validates the plan again and resolves the numbers the state machine needs. */
export const validatePlanStep = defineStep({
  name: 'validate-plan',
  input: stepBase,
  async run(_ports, input): Promise<CutoverContext> {
    const plan = planOf(input);
    const schedule = resolveSchedule(plan);
    const db = plan.database;
    const maxTtl = Math.max(...plan.dns.records.map((r) => r.ttl));
    return {
      plan,
      execution: input.execution,
      steps: schedule.steps,
      stepCount: schedule.steps.length,
      timeouts: {
        bakeSeconds:
          Math.ceil(durationSeconds(plan.traffic.bake) + maxTtl + Timing.route53InSync.worst) +
          BAKE_GRACE_SECONDS,
        decisionSeconds: Math.ceil(durationSeconds(plan.traffic.decisionTimeout)),
        approvalSeconds: db.kind === 'none' ? 0 : Math.ceil(durationSeconds(db.approvalTimeout)),
        operatorSeconds: OPERATOR_DECISION_SECONDS,
        lockSeconds: Math.ceil(schedule.worstCaseSeconds) + OPERATOR_DECISION_SECONDS,
      },
      flags: {
        deploy: plan.deploy.kind,
        database: db.kind,
        approval: db.kind !== 'none' && db.approval === 'required',
        pauseOnHealthFailure: plan.traffic.onHealthFailure === 'pause',
        pauseOnInconclusive: plan.health.inconclusive === 'pause',
      },
    };
  },
});
