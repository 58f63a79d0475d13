import { ErrorNames, OperatorConflictError } from '../domain/errors';
import type { PendingKind } from '../ports/control-signals';
import type { OperatorPorts } from './request-rollback';

/** What an operator may answer, and which wait each answer is for. */
export const ANSWERS = {
  approve: 'approval',
  refuse: 'approval',
  continue: 'decision',
  'roll-forward': 'operator',
  restore: 'operator',
} as const satisfies Record<string, PendingKind>;
export type Answer = keyof typeof ANSWERS;

export interface AnswerInput {
  /** The execution, as its control record is keyed (on AWS, its ARN). */
  readonly execution: string;
  /** How messages name the execution. @default - `execution` */
  readonly name?: string;
  readonly actor: string;
  readonly answer: Answer;
}

/**
 * Answers the workflow's pending question (approval gate, health decision, point-of-no-return choice);
 * an answer that fits no pending question is refused with OperatorConflictError.
 */
export async function answerWait(ports: OperatorPorts, input: AnswerInput): Promise<void> {
  const { pending } = await ports.control.get(input.execution);
  const expected = ANSWERS[input.answer];
  if (pending?.kind !== expected) {
    // A bake is answered by the health watcher, never by an operator.
    const waiting =
      pending && pending.kind !== 'bake' ? `it waits for ${pending.kind}` : 'nothing waits for an operator';
    throw new OperatorConflictError(
      `execution ${input.name ?? input.execution} is not waiting for ${expected} (${waiting}): nothing to ${input.answer}`,
    );
  }
  if (input.answer === 'refuse') {
    await ports.callbacks.fail(
      pending.taskToken,
      ErrorNames.ApprovalRefused,
      `switchover refused by ${input.actor}`,
    );
  } else {
    const output =
      input.answer === 'approve' || input.answer === 'continue'
        ? { decision: input.answer }
        : { choice: input.answer };
    // `answer` names the wait this is for: the state machine refuses an answer of another kind.
    await ports.callbacks.succeed(pending.taskToken, { answer: expected, ...output, actor: input.actor });
  }
  await ports.control.clearPending(input.execution, pending.taskToken);
}
