import { WAIT_TIMEOUTS } from '../domain/context/execution-context';
import { resolveExecutionContext } from '../domain/context/resolve-context';
import type { Plan } from '../domain/plan/schema';
import { ANSWERS, type Answer } from '../operations/answer-wait';
import type { ExecutionControl } from '../ports/control-signals';
import { QUESTION } from '../workflow/steps/await-human';
import type { ExecutionStatus, HealthView, PendingQuestion } from './model';

/**
 * The parts of an execution's status read from its control record (the same on AWS and locally). Once
 * the execution has ended, a wait left in the record (e.g. one that timed out) asks nothing any more.
 */
export function controlView(
  control: ExecutionControl,
  plan: Plan,
  running: boolean,
): Pick<ExecutionStatus, 'pending' | 'health' | 'rollbackRequested'> {
  const waits = running ? control : { execution: control.execution };
  return {
    pending: pendingQuestion(waits, plan),
    health: healthOf(waits),
    rollbackRequested: control.rollback
      ? {
          principal: control.rollback.actor,
          reason: control.rollback.reason,
          at: control.rollback.requestedAt,
        }
      : null,
  };
}

function pendingQuestion(control: ExecutionControl, plan: Plan): PendingQuestion | null {
  const pending = control.pending;
  if (!pending || pending.kind === 'bake') return null;
  const kind = pending.kind;
  const seconds = timeoutSeconds(plan, kind);
  return {
    kind,
    question: QUESTION[kind],
    reason: typeof pending.detail['reason'] === 'string' ? pending.detail['reason'] : '',
    since: pending.since,
    deadline:
      seconds === undefined ? null : new Date(Date.parse(pending.since) + seconds * 1000).toISOString(),
    answers: (Object.keys(ANSWERS) as Answer[]).filter((answer) => ANSWERS[answer] === kind),
  };
}

/** How long the state machine waits for each question: the resolved context's timeouts (0: none). */
function timeoutSeconds(plan: Plan, kind: PendingQuestion['kind']): number | undefined {
  const seconds = resolveExecutionContext(plan, '').timeouts[WAIT_TIMEOUTS[kind]];
  return kind === 'approval' ? seconds || undefined : seconds;
}

function healthOf(control: ExecutionControl): HealthView {
  const pending = control.pending;
  if (pending?.kind === 'bake') {
    const counters = pending.detail['counters'] as
      { rounds?: number; consecutiveFailures?: number } | undefined;
    return {
      state: 'baking',
      rounds: counters?.rounds ?? 0,
      consecutiveFailures: counters?.consecutiveFailures ?? 0,
      message: null,
    };
  }
  if (pending?.kind === 'decision') {
    const reason = pending.detail['reason'];
    return {
      state: 'failed',
      rounds: null,
      consecutiveFailures: null,
      message: typeof reason === 'string' ? reason : 'health failed',
    };
  }
  return { state: 'idle', rounds: null, consecutiveFailures: null, message: null };
}
