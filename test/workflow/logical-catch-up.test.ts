/**
 * The write freeze's catch-up on real logical replication (two embedded PostgreSQL servers), through the
 * synthesized workflow: orders written just before the freeze must reach green before the switch, and a
 * live subscriber gets there within the first CheckCaughtUp, which reads the lag again for a few
 * seconds instead of leaving it to the state machine's 1 s Wait.
 */
import type { ReplicationLag } from '../../ports/database';
import { query } from '../support/postgres-query';
import {
  replicationAdapters,
  startReplicatedPostgres,
  stopReplicatedPostgres,
  type ReplicatedPostgres,
} from '../support/replicated-postgres';
import { expectCompleted } from '../support/workflow-expectations';
import { fastPlan, Scenario, workflowDefinition } from '../support/workflow-harness';

const NAME = 'cutover_shop';
let postgres: ReplicatedPostgres | undefined;

beforeAll(async () => {
  workflowDefinition();
  postgres = await startReplicatedPostgres({
    database: 'shop',
    schema: 'CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric NOT NULL)',
    seed: 'INSERT INTO orders (total) SELECT i FROM generate_series(1, 1000) i',
    tables: ['orders'],
  });
}, 120_000);

afterAll(() => stopReplicatedPostgres(postgres));

it('switches only once green has the orders written just before the freeze, caught up within one check', async () => {
  const { db } = postgres!;
  const plan = fastPlan({ database: true });
  // Real servers apply the burst and every step opens its own connections: the demo's 10 s freeze rather
  // than the in-memory scenarios' 2 s, so that a busy machine (test files run side by side) does not end
  // the freeze before the switch. The first check still reads the lag for at most 3 s.
  if (plan.database?.kind === 'postgres-logical') plan.database.maxWriteFreeze = '10s';
  const scenario = new Scenario(plan);
  const lagsOnceFrozen: ReplicationLag[] = [];
  let frozen = false;
  Object.assign(scenario.ports, {
    // Each step opens its own connections and closes them when done, as on AWS.
    database: async () => {
      const { replication, verifier } = replicationAdapters(db, NAME);
      return {
        monitor: {
          lag: async (signal?: AbortSignal) => {
            const lag = await replication.lag(signal);
            if (frozen) lagsOnceFrozen.push(lag);
            return lag;
          },
        },
        switch: replication,
        freeze: {
          // A burst of orders right before writes stop: green has yet to apply it when the freeze begins.
          freeze: async (signal?: AbortSignal) => {
            await query(db.blue, 'INSERT INTO orders (total) SELECT i FROM generate_series(1, 5000) i');
            const report = await replication.freeze(signal);
            frozen = true;
            return report;
          },
          unfreeze: (signal?: AbortSignal) => replication.unfreeze(signal),
        },
        verifier,
        close: async () => {
          await Promise.all([replication.close(), verifier.close()]);
        },
      };
    },
  });

  const result = await scenario.run();

  expectCompleted(scenario, result);
  expect(result.states.filter((state) => state === 'CheckCaughtUp')).toHaveLength(1);
  expect(result.states).not.toContain('CaughtUpWait');
  expect(lagsOnceFrozen.at(-1)).toMatchObject({ streaming: true });
  expect(lagsOnceFrozen.at(-1)!.amount).toBeLessThanOrEqual(1024);
  const [blueRows, greenRows] = await Promise.all(
    [db.blue, db.green].map(async (side) => (await query(side, 'SELECT count(*)::int AS n FROM orders'))[0]),
  );
  expect(greenRows).toEqual({ n: 6000 });
  expect(blueRows).toEqual({ n: 6000 });
  expect(scenario.endpoint()).toBe('pg-green.internal');
});
