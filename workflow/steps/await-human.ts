import { contextFields, topicOf } from '../contracts';
import { Needs } from '../access';
import { nonEmpty, object, oneOf, string, withDefault } from '../input';
import { defineStep, ensureNoRollback } from '../step';

export const HUMAN_WAITS = ['decision', 'approval', 'operator'] as const;

/** The question each human wait asks (the CLI and the console show it). */
export const QUESTION: Record<(typeof HUMAN_WAITS)[number], string> = {
  decision: 'health failed or stayed inconclusive: continue or rollback',
  approval: 'the database switchover (the point of no return) waits for approval: approve or refuse',
  operator: 'a step after the point of no return failed: roll-forward or restore',
};

const awaitHumanInput = object({
  ...contextFields,
  kind: oneOf(HUMAN_WAITS),
  taskToken: nonEmpty,
  reason: withDefault(string, ''),
});

/** Parks the workflow on a task token until an operator answers (CLI or console), and tells them so. */
export const awaitHumanStep = defineStep({
  name: 'await-human',
  access: [...Needs.readControl, ...Needs.setPending, ...Needs.notify],
  input: awaitHumanInput,
  async run(ports, input, signal) {
    const { execution, plan } = input.context;
    // Before the point of no return a pending rollback request wins over asking anyone anything.
    if (input.kind !== 'operator') await ensureNoRollback(ports, execution, signal);
    const since = ports.now().toISOString();
    await ports.control.setPending(
      execution,
      { kind: input.kind, taskToken: input.taskToken, since, detail: { reason: input.reason } },
      signal,
    );
    await ports.notifier.notify(
      {
        plan,
        execution,
        phase: input.kind,
        outcome: 'waiting_for_operator',
        message: [QUESTION[input.kind], input.reason].filter(Boolean).join(': '),
        ...topicOf(input.context),
      },
      signal,
    );
    return { waiting: input.kind };
  },
});
