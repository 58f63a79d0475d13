import { needsScheduledFinalize } from '../../domain/database/scheduled-finalize';
import { verificationSlotName } from '../../domain/verification/change-stream';
import { contextInput } from '../contracts';
import { Needs } from '../access';
import { defineStep, withDatabase } from '../step';

/** A verification slot unused for this long is left over (a pass touches its slot every invocation). */
const LEFTOVER_IDLE_SECONDS = 3600;

/**
 * When blue's retention (`keepBlueFor`) ends after a completed cutover, scheduled by record-outcome:
 * removes the logical replication that fed green (the subscription on green, its slot on blue, which
 * would otherwise keep WAL on blue for ever). Its result says what it found and did. Idempotent: a
 * second run finds nothing. It runs in the database VPC, so it calls no other AWS API than the database
 * steps' (no notification: that would cost the VPC an SNS endpoint). It also drops verification slots
 * left on blue: this execution's, and others idle for an hour (it holds no lock, so a slot that a running
 * pass uses between two invocations must not look left over).
 */
export const finalizeStep = defineStep({
  name: 'finalize',
  idempotent: true,
  access: [...Needs.useDatabase],
  input: contextInput,
  async run(ports, { context }, signal) {
    if (!needsScheduledFinalize(context.database.kind)) return { removed: false };
    const report = await withDatabase(ports, context, async (db) => {
      const teardown = await db.teardown?.tearDown(signal);
      const slots = db.verificationSlots;
      if (!teardown || teardown.slot === 'unreachable' || !slots) return teardown && { ...teardown };
      const own = verificationSlotName(context.execution);
      const dropped = (await slots.dropSlot(own, signal)) === 'dropped' ? [own] : [];
      dropped.push(...(await slots.dropLeftoverSlots({ idleSeconds: LEFTOVER_IDLE_SECONDS }, signal)));
      return { ...teardown, verificationSlots: dropped };
    });
    return report ? { removed: true, ...report } : { removed: false };
  },
});
