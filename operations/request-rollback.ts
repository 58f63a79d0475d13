import { ErrorNames } from '../domain/errors';
import type { ControlSignals, TaskCallbacks } from '../ports/control-signals';

export interface OperatorPorts {
  readonly control: ControlSignals;
  readonly callbacks: TaskCallbacks;
  readonly now?: () => Date;
}

export interface RollbackRequestInput {
  readonly execution: string;
  /** Who asked (IAM identity, console user): recorded in the audit trail and the failure cause. */
  readonly actor: string;
  readonly reason: string;
}

export type RollbackDelivery =
  /** A wait (bake, decision, approval) was failed with OperatorRollback: the rollback path starts now. */
  | 'now'
  /** Past the point of no return: the operator's pending choice was answered with "restore". */
  | 'restore'
  /** Nothing is waiting: the next step's check takes the workflow down the rollback path. */
  | 'next-check';

/**
 * An operator's Rollback button. It is a signal the workflow acts on, never StopExecution (which
 * would skip the rollback path, leaving weights mid-way and the lock held).
 */
export async function requestRollback(
  ports: OperatorPorts,
  input: RollbackRequestInput,
): Promise<RollbackDelivery> {
  for (const field of ['execution', 'actor', 'reason'] as const) {
    if (!input[field].trim()) throw new Error(`${field}: must not be empty`);
  }
  const requestedAt = (ports.now?.() ?? new Date()).toISOString();
  const record = await ports.control.requestRollback(input.execution, {
    actor: input.actor,
    reason: input.reason,
    requestedAt,
  });
  const pending = record.pending;
  if (!pending) return 'next-check';
  const cause = `rollback requested by ${input.actor}: ${input.reason}`;
  if (pending.kind === 'operator') {
    await ports.callbacks.succeed(pending.taskToken, {
      answer: 'operator',
      choice: 'restore',
      actor: input.actor,
      reason: input.reason,
    });
  } else {
    await ports.callbacks.fail(pending.taskToken, ErrorNames.OperatorRollback, cause);
  }
  await ports.control.clearPending(input.execution, pending.taskToken);
  return pending.kind === 'operator' ? 'restore' : 'now';
}
