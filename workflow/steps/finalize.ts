import { contextInput, topicOf } from '../contracts';
import { Needs } from '../access';
import { defineStep, withDatabase } from '../step';

/**
 * When blue's retention (`keepBlueFor`) ends after a completed cutover, scheduled by record-outcome:
 * removes the logical replication that fed green (the subscription on green, its slot on blue, which
 * would otherwise keep WAL on blue for ever) and tells operators. Idempotent: a second run finds nothing.
 */
export const finalizeStep = defineStep({
  name: 'finalize',
  idempotent: true,
  access: [...Needs.useDatabase, ...Needs.notify],
  input: contextInput,
  async run(ports, { context }, signal) {
    if (context.database.kind !== 'postgres-logical') return { removed: false };
    const report = await withDatabase(ports, context, async (db) => db.teardown?.tearDown(signal));
    if (!report) return { removed: false };
    const slot = {
      dropped: `its slot ${report.slotName} dropped on blue`,
      absent: `its slot ${report.slotName} was already gone from blue`,
      unreachable: `blue could not be reached to drop slot ${report.slotName} (gone with blue, if blue was removed)`,
    }[report.slot];
    await ports.notifier.notify(
      {
        plan: context.plan,
        execution: context.execution,
        phase: 'finalize',
        outcome: 'progress',
        message: `blue's retention ended: subscription ${context.database.subscription} ${report.subscription === 'dropped' ? 'dropped on green' : 'was already gone'}, ${slot}`,
        ...topicOf(context),
      },
      signal,
    );
    return { removed: true, ...report };
  },
});
