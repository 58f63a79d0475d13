import * as z from 'zod';
import { stepBase, shiftStepSchema, ticketsSchema } from '../contracts';
import { defineStep, ensureNoRollback, planOf } from '../step';

/** Sets both weighted records of every pair for one shift step: one change per hosted zone. */
export const setWeightsStep = defineStep({
  name: 'set-weights',
  input: stepBase.extend({ step: shiftStepSchema }),
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    const plan = planOf(input);
    const tickets = await ports.traffic.setWeights(plan.dns.records, input.step.weights, signal);
    return { tickets };
  },
});

/** True once every change has propagated (Route 53 INSYNC). Used for shifts, the switch and rollback. */
export const checkInSyncStep = defineStep({
  name: 'check-in-sync',
  input: z.object({
    execution: z.string(),
    tickets: ticketsSchema,
    checkRollback: z.boolean().default(true),
  }),
  async run(ports, input, signal) {
    if (input.checkRollback) await ensureNoRollback(ports, input.execution, signal);
    return { inSync: await ports.traffic.isInSync(input.tickets, signal) };
  },
});
