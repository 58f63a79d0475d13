import { ErrorNames } from '../domain/errors';
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
  readonly execution: string;
  readonly actor: string;
  readonly answer: Answer;
}

/** Answers the workflow's pending question (approval gate, health decision, point-of-no-return choice). */
export async function answerWait(ports: OperatorPorts, input: AnswerInput): Promise<void> {
  const { pending } = await ports.control.get(input.execution);
  const expected = ANSWERS[input.answer];
  if (!pending || pending.kind === 'bake') {
    throw new Error(
      `execution ${input.execution} is not waiting for an operator (nothing to ${input.answer})`,
    );
  }
  if (pending.kind !== expected) {
    throw new Error(
      `execution ${input.execution} is waiting for ${pending.kind}, not ${expected}: "${input.answer}" does not answer it`,
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
