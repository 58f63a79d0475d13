import { finalizeAt, needsScheduledFinalize } from '../../domain/database/scheduled-finalize';
import { contextFields, topicOf } from '../contracts';
import { Needs } from '../access';
import { object, oneOf, optional, string, withDefault } from '../input';
import { defineStep } from '../step';

const OUTCOMES = ['completed', 'rolled_back', 'failed'] as const;

const HEADLINE: Record<(typeof OUTCOMES)[number], string> = {
  completed: 'cutover completed: green serves 100 %',
  rolled_back: 'cutover rolled back: blue serves 100 %',
  failed: 'cutover failed',
};

const recordOutcomeInput = object({
  ...contextFields,
  outcome: oneOf(OUTCOMES),
  phase: withDefault(string, 'finalize'),
  error: optional(string),
  cause: optional(string),
});

/**
 * Writes the audit record and tells operators how it ended; runs on every exit path. A completed
 * logical-replication cutover also schedules the finalize step for when blue's retention ends.
 */
export const recordOutcomeStep = defineStep({
  name: 'record-outcome',
  idempotent: true,
  access: [...Needs.writeAudit, ...Needs.notify, ...Needs.scheduleFinalize],
  input: recordOutcomeInput,
  async run(ports, input, signal) {
    const { plan, execution, keepBlueSeconds, promotionDigest } = input.context;
    const at = ports.now();
    const keepBlueUntil = new Date(at.getTime() + keepBlueSeconds * 1000).toISOString();
    const cause = input.error ? `${input.error}: ${input.cause ?? ''}`.trim() : undefined;
    await ports.audit.write(
      {
        plan,
        execution,
        outcome: input.outcome,
        phase: input.phase,
        at: at.toISOString(),
        ...(cause ? { cause } : {}),
        ...(promotionDigest ? { promotionDigest } : {}),
      },
      signal,
    );
    const detail =
      input.outcome === 'completed'
        ? `keep blue until ${keepBlueUntil}`
        : `in phase ${input.phase}: ${cause ?? 'no cause recorded'}`;
    await ports.notifier.notify(
      {
        plan,
        execution,
        phase: input.phase,
        outcome: input.outcome,
        message: `${HEADLINE[input.outcome]} (${detail})`,
        ...topicOf(input.context),
      },
      signal,
    );
    if (input.outcome === 'completed' && needsScheduledFinalize(input.context.database.kind)) {
      const when = finalizeAt(at, new Date(keepBlueUntil));
      await ports.finalizeSchedule?.schedule(input.context, when, signal);
    }
    const summary =
      input.outcome === 'completed' ? HEADLINE.completed : `${input.phase}: ${cause ?? 'no cause recorded'}`;
    return { outcome: input.outcome, summary, ...(input.outcome === 'completed' ? { keepBlueUntil } : {}) };
  },
});
