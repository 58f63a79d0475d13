import { ALL_BLUE } from '../../domain/traffic/weights';
import { contextInput } from '../contracts';
import { Needs } from '../access';
import { defineStep, withDatabase } from '../step';

/**
 * The one rollback path before the point of no return: every record back to blue 100 %, writes on
 * blue unfrozen. Idempotent, so the state machine retries it freely.
 */
export const rollbackStep = defineStep({
  name: 'rollback',
  access: [...Needs.changeRecords, ...Needs.useDatabase],
  input: contextInput,
  async run(ports, { context }, signal) {
    const tickets = await ports.traffic.setWeights(context.zones, ALL_BLUE, signal);
    if (context.database.kind !== 'none')
      await withDatabase(ports, context, async (db) => db.freeze?.unfreeze(signal));
    return { tickets };
  },
});

/**
 * After the point of no return, when the operator chooses "restore": the application goes back to
 * blue's database and blue takes writes again. Writes made on green since the switch stay on green.
 */
export const restoreStep = defineStep({
  name: 'restore',
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
