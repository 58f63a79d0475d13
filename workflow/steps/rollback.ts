import { ALL_BLUE } from '../../domain/traffic/weights';
import { stepBase } from '../contracts';
import { defineStep, planOf, withDatabase } from '../step';

/**
 * The one rollback path before the point of no return: every record back to blue 100 %, writes on
 * blue unfrozen. Idempotent, so the state machine retries it freely.
 */
export const rollbackStep = defineStep({
  name: 'rollback',
  input: stepBase,
  async run(ports, input, signal) {
    const plan = planOf(input);
    const tickets = await ports.traffic.setWeights(plan.dns.records, ALL_BLUE, signal);
    if (plan.database.kind !== 'none')
      await withDatabase(ports, plan, async (db) => db.freeze?.unfreeze(signal));
    return { tickets };
  },
});

/**
 * After the point of no return, when the operator chooses "restore": the application goes back to
 * blue's database and blue takes writes again. Writes made on green since the switch stay on green.
 */
export const restoreStep = defineStep({
  name: 'restore',
  input: stepBase,
  async run(ports, input, signal) {
    const plan = planOf(input);
    const db = plan.database;
    const tickets = await ports.traffic.setWeights(plan.dns.records, ALL_BLUE, signal);
    if (db.kind === 'postgres-logical' || db.kind === 'rds-read-replica') {
      tickets.push(await ports.traffic.pointEndpoint(db.endpoint, db.endpoint.blue, signal));
      await withDatabase(ports, plan, async (ports) => ports.freeze?.unfreeze(signal));
    }
    return { tickets };
  },
});
