import { contextFields, shiftStep, tickets } from '../contracts';
import { Needs } from '../access';
import { boolean, object, string, withDefault } from '../input';
import { defineStep, ensureNoRollback, renewLease } from '../step';

/** Sets both weighted records of every pair for one shift step: one change per hosted zone. */
export const setWeightsStep = defineStep({
  name: 'set-weights',
  idempotent: true,
  access: [...Needs.readControl, ...Needs.renewLocks, ...Needs.changeRecords],
  input: object({
    ...contextFields,
    step: shiftStep,
  }),
  async run(ports, { context, step }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    await renewLease(ports, context, signal);
    return { tickets: await ports.traffic.setWeights(context.zones, step.weights, signal) };
  },
});

const checkInSyncInput = object({
  execution: string,
  tickets: tickets,
  checkRollback: withDefault(boolean, true),
});

/** True once every change has propagated (Route 53 INSYNC). Used for shifts, the switch and rollback. */
export const checkInSyncStep = defineStep({
  name: 'check-in-sync',
  idempotent: true,
  access: [...Needs.readControl, ...Needs.checkChanges],
  input: checkInSyncInput,
  async run(ports, input, signal) {
    if (input.checkRollback) await ensureNoRollback(ports, input.execution, signal);
    return { inSync: await ports.traffic.isInSync(input.tickets, signal) };
  },
});
