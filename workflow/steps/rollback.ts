import { ALL_BLUE } from '../../domain/traffic/weights';
import { verificationSlotName } from '../../domain/verification/change-stream';
import { contextInput } from '../contracts';
import { Needs } from '../access';
import type { DatabasePorts } from '../ports';
import { defineStep, withDatabase } from '../step';

/**
 * The one rollback path before the point of no return: every record back to blue 100 %, writes on
 * blue unfrozen, the verification's change slot dropped. Idempotent, so the state machine retries it
 * freely.
 */
export const rollbackStep = defineStep({
  name: 'rollback',
  idempotent: true,
  access: [...Needs.changeRecords, ...Needs.useDatabase],
  input: contextInput,
  async run(ports, { context }, signal) {
    const tickets = await ports.traffic.setWeights(context.zones, ALL_BLUE, signal);
    if (context.database.kind === 'none') return { tickets };
    const verificationSlot = await withDatabase(ports, context, async (db) => {
      await db.freeze?.unfreeze(signal);
      return dropVerificationSlot(db, context.execution, signal);
    });
    return { tickets, ...(verificationSlot ? { verificationSlot } : {}) };
  },
});

/**
 * A verification slot left on blue would keep its WAL for ever, but failing to drop it must not fail
 * the rollback (blue serves again either way): it is reported, and the next preflight drops it.
 */
async function dropVerificationSlot(
  db: DatabasePorts,
  execution: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (!db.verificationSlots) return undefined;
  return db.verificationSlots
    .dropSlot(verificationSlotName(execution), signal)
    .catch((error: Error) => `left on blue (${error.message}); the next preflight drops it`);
}

/**
 * After the point of no return, when the operator chooses "restore": the application goes back to
 * blue's database and blue takes writes again. Writes made on green since the switch stay on green.
 */
export const restoreStep = defineStep({
  name: 'restore',
  idempotent: true,
  access: [...Needs.changeRecords, ...Needs.useDatabase],
  input: contextInput,
  async run(ports, { context }, signal) {
    const tickets = await ports.traffic.setWeights(context.zones, ALL_BLUE, signal);
    if (context.endpoint) {
      tickets.push(await ports.traffic.pointEndpoint(context.endpoint, context.endpoint.blue, signal));
      await withDatabase(ports, context, async (db) => db.freeze?.unfreeze(signal));
    }
    return { tickets };
  },
});
