/**
 * The scheduled finalize against two real PostgreSQL servers fed by real logical replication: once
 * blue's retention ends, the subscription on green and its replication slot on blue are gone. And the
 * rollback step's part of it: the verification's slot on blue does not outlive a rolled-back cutover.
 */
import { PostgresReplication } from '../../../adapters/postgres/postgres-replication';
import { resolveExecutionContext } from '../../../domain/context/resolve-context';
import { validatePlan } from '../../../domain/plan/validate';
import { verificationSlotName } from '../../../domain/verification/change-stream';
import { freePorts } from '../../../local/free-ports';
import { setUpLogicalReplication } from '../../../local/logical-replication';
import { startPostgresPair, type ConnectionInfo, type PostgresPair } from '../../../local/postgres-pair';
import { finalizeStep } from '../../../workflow/steps/finalize';
import { rollbackStep } from '../../../workflow/steps/rollback';
import type { Ports } from '../../../workflow/ports';
import { eventually } from '../../support/eventually';
import { query } from '../../support/postgres-query';
import { fastPlan } from '../../support/workflow-harness';

const SCHEMA = 'CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric NOT NULL);';

let pair: PostgresPair;
let database = 0;

beforeAll(async () => {
  pair = await startPostgresPair();
}, 120_000);

afterAll(() => pair?.stop());

/** A fresh database replicated blue → green, with its own publication, subscription and slot. */
async function replicated(): Promise<{ blue: ConnectionInfo; green: ConnectionInfo; name: string }> {
  const name = `shop${++database}`;
  const db = await setUpLogicalReplication({
    blue: pair.blue,
    green: pair.green,
    database: name,
    publication: name,
    subscription: name,
    schema: SCHEMA,
    seed: 'INSERT INTO orders (total) SELECT i FROM generate_series(1, 50) i',
    tables: ['orders'],
  });
  return { ...db, name };
}

function replication(blue: ConnectionInfo, green: ConnectionInfo, name: string): PostgresReplication {
  return new PostgresReplication({ source: blue, target: green, subscription: name, publication: name });
}

async function subscriptions(green: ConnectionInfo, name: string): Promise<number> {
  const rows = await query(green, 'SELECT 1 FROM pg_subscription WHERE subname = $1', [name]);
  return rows.length;
}

async function slots(blue: ConnectionInfo, name: string): Promise<number> {
  const rows = await query(blue, 'SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [name]);
  return rows.length;
}

describe('PostgresSubscriptionTeardown', () => {
  it('drops the subscription on green and, with it, its slot on blue; a second run finds nothing', async () => {
    const { blue, green, name } = await replicated();
    const db = replication(blue, green, name);
    try {
      await db.switchOver(undefined); // the switch disabled the subscription, as after a cutover
      expect([await subscriptions(green, name), await slots(blue, name)]).toEqual([1, 1]);

      await expect(db.tearDown()).resolves.toEqual({
        subscription: 'dropped',
        slot: 'absent',
        slotName: name,
      });
      expect([await subscriptions(green, name), await slots(blue, name)]).toEqual([0, 0]);
      await expect(db.tearDown()).resolves.toEqual({
        subscription: 'absent',
        slot: 'absent',
        slotName: name,
      });
    } finally {
      await db.close();
    }
  });

  it('drops the slot on blue itself when green could not reach blue to drop it', async () => {
    const { blue, green, name } = await replicated();
    const db = replication(blue, green, name);
    try {
      await db.switchOver(undefined);
      // Green now reaches its publisher at an address where nothing listens.
      const [closed] = (await freePorts(1)) as [number];
      await query(green, `ALTER SUBSCRIPTION ${name} CONNECTION 'host=127.0.0.1 port=${closed} dbname=x'`);

      await expect(db.tearDown()).resolves.toEqual({
        subscription: 'dropped',
        slot: 'dropped',
        slotName: name,
      });
      expect([await subscriptions(green, name), await slots(blue, name)]).toEqual([0, 0]);
    } finally {
      await db.close();
    }
  });

  it('ends a walsender still streaming from the slot, then drops it', async () => {
    const { blue, green, name } = await replicated();
    const db = replication(blue, green, name);
    try {
      // The subscription is removed behind the adapter's back while still enabled: its slot stays on blue.
      await query(green, `ALTER SUBSCRIPTION ${name} DISABLE`);
      await query(green, `ALTER SUBSCRIPTION ${name} SET (slot_name = NONE)`);
      await query(green, `DROP SUBSCRIPTION ${name}`);
      expect(await slots(blue, name)).toBe(1);

      await expect(db.tearDown()).resolves.toEqual({
        subscription: 'absent',
        slot: 'dropped',
        slotName: name,
      });
      expect(await slots(blue, name)).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('reports the slot as unreachable, and still drops the subscription, when blue is gone', async () => {
    const { blue, green, name } = await replicated();
    const [closed] = (await freePorts(1)) as [number];
    const db = replication({ ...blue, port: closed }, green, name);
    try {
      await db.switchOver(undefined);
      await expect(db.tearDown()).resolves.toEqual({
        subscription: 'dropped',
        slot: 'unreachable',
        slotName: name,
      });
      expect(await subscriptions(green, name)).toBe(0);
    } finally {
      await db.close();
    }
  });
});

/** The steps' ports on a replicated database: the real PostgreSQL adapter, records that change at once. */
function stepPorts(blue: ConnectionInfo, green: ConnectionInfo, name: string): Ports {
  return {
    now: () => new Date(),
    traffic: { setWeights: async () => [{ id: '/change/C1', hostedZoneId: 'Z1' }] },
    database: async () => {
      const db = replication(blue, green, name);
      return {
        monitor: db,
        switch: db,
        freeze: db,
        teardown: db,
        verificationSlots: db,
        close: () => db.close(),
      };
    },
  } as unknown as Ports;
}

function contextFor(name: string, execution: string) {
  const plan = fastPlan({ database: true });
  if (plan.database?.kind === 'postgres-logical') {
    plan.database.subscription = name;
    plan.database.publication = name;
  }
  return resolveExecutionContext(validatePlan(plan).plan, execution);
}

describe('the rollback step', () => {
  it("unfreezes blue and drops the execution's verification slot, and is idempotent", async () => {
    const { blue, green, name } = await replicated();
    const context = contextFor(name, 'arn:aws:states:eu-west-1:1:execution:c:rolled-back');
    const ports = stepPorts(blue, green, name);
    const own = verificationSlotName(context.execution);
    await query(blue, `SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [own]);
    await replication(blue, green, name).freeze();

    await expect(rollbackStep.run(ports, { context })).resolves.toMatchObject({
      verificationSlot: 'dropped',
    });
    expect(await slots(blue, own)).toBe(0);
    await query(blue, 'INSERT INTO orders (total) VALUES (1)');
    await expect(rollbackStep.run(ports, { context })).resolves.toMatchObject({ verificationSlot: 'absent' });
  });
});

describe('the finalize step', () => {
  it('removes the subscription and its slot, and is idempotent', async () => {
    const { blue, green, name } = await replicated();
    const context = contextFor(name, 'arn:aws:states:eu-west-1:1:execution:c:e1');
    const ports = stepPorts(blue, green, name);
    await (await ports.database(context.database as never)).switch.switchOver(undefined);
    // This execution's verification slot, left behind (its re-check never ran), and another execution's,
    // idle for less than an hour: it may belong to a pass running now, so it stays.
    const own = verificationSlotName(context.execution);
    const recent = verificationSlotName('arn:aws:states:eu-west-1:1:execution:c:running');
    for (const slot of [own, recent]) {
      await query(blue, `SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
    }

    await expect(finalizeStep.run(ports, { context })).resolves.toEqual({
      removed: true,
      subscription: 'dropped',
      slot: 'absent',
      slotName: name,
      verificationSlots: [own],
    });
    await eventually(async () => expect(await slots(blue, name)).toBe(0));
    expect(await subscriptions(green, name)).toBe(0);
    expect(await slots(blue, own)).toBe(0);
    expect(await slots(blue, recent)).toBe(1);
    await expect(finalizeStep.run(ports, { context })).resolves.toMatchObject({
      subscription: 'absent',
      slot: 'absent',
      verificationSlots: [],
    });
    await query(blue, 'SELECT pg_drop_replication_slot($1)', [recent]);
  });
});
