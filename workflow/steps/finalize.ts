import { needsScheduledFinalize } from '../../domain/database/scheduled-finalize';
import { contextInput } from '../contracts';
import { Needs } from '../access';
import { defineStep, withDatabase } from '../step';

/**
 * When blue's retention (`keepBlueFor`) ends after a completed cutover, scheduled by record-outcome:
 * removes the logical replication that fed green (the subscription on green, its slot on blue, which
 * would otherwise keep WAL on blue for ever). Its result says what it found and did. Idempotent: a
 * second run finds nothing. It runs in the database VPC, so it calls no other AWS API than the database
 * steps' (no notification: that would cost the VPC an SNS endpoint).
 */
export const finalizeStep = defineStep({
  name: 'finalize',
  idempotent: true,
  access: [...Needs.useDatabase],
  input: contextInput,
  async run(ports, { context }, signal) {
    if (!needsScheduledFinalize(context.database.kind)) return { removed: false };
    const report = await withDatabase(ports, context, async (db) => db.teardown?.tearDown(signal));
    return report ? { removed: true, ...report } : { removed: false };
  },
});
