import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseError } from 'pg';
import { PostgresDataVerifier } from '../../../adapters/postgres/data-verifier';
import { PostgresReplication } from '../../../adapters/postgres/postgres-replication';
import { UNKNOWN_LAG_BYTES } from '../../../adapters/postgres/replication-lag-monitor';
import { ErrorNames } from '../../../domain/errors';
import { verificationSlotName } from '../../../domain/verification/change-stream';
import { CHUNK_ROWS } from '../../../domain/verification/chunk-size';
import type { KeyRange } from '../../../ports/database';
import type { ReplicatedDatabase } from '../../../local/logical-replication';
import { eventually } from '../../support/eventually';
import { openSession, query } from '../../support/postgres-query';
import {
  startReplicatedPostgres,
  stopReplicatedPostgres,
  type ReplicatedPostgres,
} from '../../support/replicated-postgres';

const SCHEMA = `
  CREATE TABLE customers (email text PRIMARY KEY, name text NOT NULL);
  CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer text NOT NULL,
    total numeric(10, 2) NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE order_items (
    order_id bigint NOT NULL,
    line int NOT NULL,
    sku text NOT NULL,
    quantity int NOT NULL,
    PRIMARY KEY (order_id, line)
  );
  CREATE TABLE notes (body text);
  CREATE TABLE notes_keyed (id int PRIMARY KEY, body text);
  CREATE SEQUENCE unused_seq;
`;

const SEED = `
  INSERT INTO customers SELECT 'customer' || i || '@example.com', 'Customer ' || i FROM generate_series(1, 30) i;
  INSERT INTO orders (customer, total)
    SELECT 'customer' || (i % 30 + 1) || '@example.com', i * 1.5 FROM generate_series(1, 40) i;
  INSERT INTO order_items SELECT o, l, 'SKU-' || o || '-' || l, l FROM generate_series(1, 40) o, generate_series(1, 3) l;
`;

const TABLES = ['customers', 'orders', 'order_items'];
const READ_ONLY_TRANSACTION = '25006';

let db: ReplicatedDatabase;
let replication: PostgresReplication;
let verifier: PostgresDataVerifier;
let postgres: ReplicatedPostgres | undefined;

beforeAll(async () => {
  postgres = await startReplicatedPostgres({ database: 'shop', schema: SCHEMA, seed: SEED, tables: TABLES });
  ({ db, replication, verifier } = postgres);
}, 60_000);

afterAll(() => stopReplicatedPostgres(postgres));

async function caughtUp(): Promise<void> {
  await eventually(async () =>
    expect(await replication.lag()).toEqual({ amount: 0, unit: 'bytes', streaming: true }),
  );
}

async function placeOrders(count: number): Promise<void> {
  await query(
    db.blue,
    `INSERT INTO orders (customer, total) SELECT 'customer1@example.com', i FROM generate_series(1, $1::int) i`,
    [count],
  );
}

describe('replication lag', () => {
  test('reports the lag in bytes while streaming and catches up to 0 after writes', async () => {
    await placeOrders(500);

    const lag = await replication.lag();

    expect(lag.unit).toBe('bytes');
    expect(lag.streaming).toBe(true);
    expect(lag.amount).toBeGreaterThanOrEqual(0);
    await caughtUp();
  });

  test('reports streaming false and a growing lag while the subscription is disabled', async () => {
    await query(db.green, 'ALTER SUBSCRIPTION cutover_shop DISABLE');
    try {
      await eventually(async () => expect((await replication.lag()).streaming).toBe(false));
      await placeOrders(100);

      const lag = await replication.lag();

      expect(lag.streaming).toBe(false);
      expect(lag.amount).toBeGreaterThan(0);
      expect(lag.amount).toBeLessThan(UNKNOWN_LAG_BYTES);
    } finally {
      await query(db.green, 'ALTER SUBSCRIPTION cutover_shop ENABLE');
    }
    await caughtUp();
  });

  test('reports streaming false and an unknown lag when the replication slot does not exist', async () => {
    const elsewhere = new PostgresReplication({
      source: db.blue,
      target: db.green,
      subscription: 'no_such_subscription',
      publication: 'cutover_shop',
    });

    await expect(elsewhere.lag()).resolves.toEqual({
      amount: UNKNOWN_LAG_BYTES,
      unit: 'bytes',
      streaming: false,
    });
  });

  test('fails before querying when the signal is already aborted', async () => {
    await expect(replication.lag(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('sequence sync', () => {
  test('moves the target sequence to the position of the source sequence', async () => {
    await placeOrders(25);
    const [source] = await query<{ value: string }>(
      db.blue,
      'SELECT last_value::text AS value FROM orders_id_seq',
    );

    const synced = await verifier.syncSequences();

    expect(synced).toEqual([{ sequence: 'public.orders_id_seq', value: Number(source?.value) }]);
    const [next] = await query<{ id: string }>(db.green, `SELECT nextval('orders_id_seq')::text AS id`);
    expect(Number(next?.id)).toBeGreaterThan(Number(source?.value));
  });

  test('leaves out sequences that never advanced', async () => {
    const synced = await verifier.syncSequences();

    expect(synced.map((sync) => sync.sequence)).not.toContain('public.unused_seq');
  });
});

/** The range holds the order `id` and at most the smallest chunk's rows. */
async function expectSmallRangeAround(range: KeyRange | undefined, id: number): Promise<void> {
  expect(range?.table).toBe('orders');
  const [rows] = await query<{ count: number }>(
    db.blue,
    'SELECT count(*)::int AS count FROM orders WHERE id > $1 AND id <= $2',
    [range?.after?.[0] ?? 0, range?.upTo[0]],
  );
  expect(rows?.count).toBeLessThanOrEqual(CHUNK_ROWS.min);
  expect(Number(range?.after?.[0] ?? 0)).toBeLessThan(id);
  expect(Number(range?.upTo[0])).toBeGreaterThanOrEqual(id);
}

describe('verification', () => {
  const wholePass = (tables: readonly string[], chunkSize = 7) =>
    verifier.compareChunks({ tables, cursor: null, chunkSize, budgetMs: 60_000 });
  let passes = 0;

  /** Starts a pass's change stream; `recheck` drains it to its end and checks what the pass left, then drops it. */
  async function startPass(tables: readonly string[]) {
    const slot = verificationSlotName(`postgres-replication-${++passes}`);
    const start = await verifier.startPass({ slot, tables, waitMs: 10_000 });
    return {
      recheck: async (ranges: readonly KeyRange[]) => {
        try {
          return await verifier.recheck({
            slot,
            tables,
            from: start.lsn,
            since: start.since,
            wholeTables: start.wholeTables,
            differingRows: [],
            ranges,
          });
        } finally {
          await replication.dropSlot(slot);
        }
      },
    };
  }

  test('a pass finds nothing when green holds the same rows as blue, and the re-check agrees', async () => {
    await caughtUp();
    const started = await startPass(TABLES);

    const pass = await wholePass(TABLES);

    const [orders] = await query<{ count: number }>(db.blue, 'SELECT count(*)::int AS count FROM orders');
    expect(pass).toMatchObject({ cursor: null, differing: [], rows: 30 + (orders?.count ?? 0) + 120 });
    expect(pass.chunks).toBeGreaterThan(TABLES.length);
    const rechecked = await started.recheck(pass.differing);
    expect(rechecked).toEqual(
      TABLES.map((table) => ({ table, changedRows: 0, wholeTable: null, differences: [] })),
    );
  });

  test('narrows a row that differs on green to its range, and the re-check still finds it', async () => {
    await caughtUp();
    await query(db.green, 'UPDATE orders SET total = total + 1 WHERE id = 10');
    try {
      const started = await startPass(['orders']);
      const pass = await wholePass(['orders']);

      expect(pass.differing).toHaveLength(1);
      const [range] = pass.differing;
      await expectSmallRangeAround(range, 10);
      const [orders] = await started.recheck(pass.differing);
      expect(orders?.differences).toEqual([`orders(${range?.after?.[0] ?? ''}..${range?.upTo[0]}]`]);
    } finally {
      await query(db.green, 'UPDATE orders SET total = total - 1 WHERE id = 10');
    }
  });

  test('narrows a large differing chunk in halves down to the smallest chunk', async () => {
    await caughtUp();
    await placeOrders(1000);
    await caughtUp();
    await query(db.green, 'UPDATE orders SET total = total + 1 WHERE id = 500');
    try {
      const pass = await wholePass(['orders'], 2000);

      expect(pass.chunks).toBe(1);
      expect(pass.differing).toHaveLength(1);
      await expectSmallRangeAround(pass.differing[0], 500);
    } finally {
      await query(db.green, 'UPDATE orders SET total = total - 1 WHERE id = 500');
    }
  });

  test('a row missing on green is found by the pass, and again in the freeze', async () => {
    await caughtUp();
    const [row] = await query(
      db.green,
      'DELETE FROM order_items WHERE order_id = 2 AND line = 3 RETURNING *',
    );
    try {
      const started = await startPass(['order_items']);
      const pass = await wholePass(['order_items']);

      expect(pass.differing).toEqual([{ table: 'order_items', after: null, upTo: ['3', '1'] }]);
      const [items] = await started.recheck(pass.differing);
      expect(items?.differences).toEqual(['order_items(..(3,1)]']);
    } finally {
      await query(db.green, 'INSERT INTO order_items VALUES ($1, $2, $3, $4)', Object.values(row ?? {}));
    }
  });

  test('rows only on green beyond the last key of blue are found by the pass, and again in the freeze', async () => {
    await caughtUp();
    await query(db.green, `INSERT INTO customers VALUES ('zz-only-on-green@example.com', 'Ghost')`);
    try {
      const started = await startPass(['customers']);
      const pass = await wholePass(['customers']);

      expect(pass.differing).toEqual([
        expect.objectContaining({ table: 'customers', upTo: ['zz-only-on-green@example.com'] }),
      ]);
      const [customers] = await started.recheck(pass.differing);
      expect(customers?.differences).toEqual([
        expect.stringMatching(/^customers\(.*\.\.zz-only-on-green@example\.com\]$/),
      ]);
    } finally {
      await query(db.green, `DELETE FROM customers WHERE email = 'zz-only-on-green@example.com'`);
    }
  });

  test('a table blue has emptied but green has not is found by the pass', async () => {
    await caughtUp();
    await query(db.green, `INSERT INTO notes_keyed VALUES (1, 'only on green')`);
    try {
      const pass = await wholePass(['notes_keyed']);

      expect(pass.differing).toEqual([{ table: 'notes_keyed', after: null, upTo: ['1'] }]);
    } finally {
      await query(db.green, 'DELETE FROM notes_keyed');
    }
  });

  test('fails with VerificationFailed for a table without a primary key', async () => {
    await expect(wholePass(['notes'], 100)).rejects.toMatchObject({
      name: ErrorNames.VerificationFailed,
      message: expect.stringContaining('notes has no primary key'),
    });
  });

  test('fails with VerificationFailed for a table that does not exist', async () => {
    await expect(wholePass(['invoices'], 100)).rejects.toMatchObject({
      name: ErrorNames.VerificationFailed,
    });
  });
});

describe('write freeze', () => {
  afterEach(async () => {
    await replication.unfreeze();
  });

  test('blocks writes from sessions opened before the freeze and from new ones, and unfreeze allows them again', async () => {
    const before = await openSession(db.blue);
    try {
      await before.query(`INSERT INTO customers VALUES ('before@example.com', 'Before')`);

      await replication.freeze();

      await expect(
        before.query(`INSERT INTO customers VALUES ('late@example.com', 'Late')`),
      ).rejects.toThrow();
      await expect(
        query(db.blue, `INSERT INTO customers VALUES ('during@example.com', 'During')`),
      ).rejects.toMatchObject({ code: READ_ONLY_TRANSACTION } satisfies Partial<DatabaseError>);
      await expect(replication.isFrozen()).resolves.toBe(true);
      expect((await replication.lag()).streaming).toBe(true);

      await replication.unfreeze();

      await expect(
        query(db.blue, `INSERT INTO customers VALUES ('after@example.com', 'After')`),
      ).resolves.toEqual([]);
      await expect(replication.isFrozen()).resolves.toBe(false);
      const late = await query(db.blue, `SELECT 1 FROM customers WHERE email = 'late@example.com'`);
      expect(late).toEqual([]);
    } finally {
      await before.end().catch(() => undefined);
      await query(
        db.blue,
        `DELETE FROM customers WHERE email IN ('before@example.com', 'after@example.com')`,
      );
    }
  });

  test('unfreeze ends the read-only sessions opened during the freeze so that they reconnect writable', async () => {
    await replication.freeze();
    const during = await openSession(db.blue);
    try {
      await expect(during.query('SHOW transaction_read_only')).resolves.toMatchObject({
        rows: [{ transaction_read_only: 'on' }],
      });

      await replication.unfreeze();

      await expect(during.query('SELECT 1')).rejects.toThrow();
    } finally {
      await during.end().catch(() => undefined);
    }
  });

  test("leaves the sessions it may not end (a superuser's) alone, reports them, and still freezes", async () => {
    // The source connects as the database owner, not a superuser (as on RDS, where rdsadmin's sessions
    // cannot be ended); pg_signal_backend lets it end other roles' sessions, never a superuser's, and
    // pg_read_all_stats (RDS's rds_superuser has both through pg_monitor) lets it see them.
    await query(
      db.blue,
      `CREATE ROLE shop_owner LOGIN PASSWORD 'owner-secret' IN ROLE pg_signal_backend, pg_read_all_stats`,
    );
    await query(db.blue, 'ALTER DATABASE shop OWNER TO shop_owner');
    await query(db.blue, `CREATE ROLE shop_app LOGIN PASSWORD 'app-secret'`);
    await query(db.blue, 'GRANT INSERT ON notes TO shop_app');
    const owner = new PostgresReplication({
      source: { ...db.blue, user: 'shop_owner', password: 'owner-secret' },
      target: db.green,
      subscription: 'cutover_shop',
      publication: 'cutover_shop',
    });
    const superuser = await openSession(db.blue);
    const app = await openSession({ ...db.blue, user: 'shop_app', password: 'app-secret' });
    try {
      const [{ pid } = { pid: 0 }] = (
        await superuser.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
      ).rows;

      const report = await owner.freeze();

      expect(report.untouchedSessions).toEqual([{ pid, user: 'postgres' }]);
      await expect(app.query(`INSERT INTO notes VALUES ('late')`)).rejects.toThrow();
      await expect(superuser.query('SELECT 1')).resolves.toMatchObject({ rowCount: 1 });
      await expect(owner.isFrozen()).resolves.toBe(true);
    } finally {
      await owner.unfreeze();
      await owner.close();
      await Promise.all([superuser.end(), app.end()].map((ending) => ending.catch(() => undefined)));
      await query(db.blue, 'ALTER DATABASE shop OWNER TO postgres');
      await query(db.blue, 'REVOKE ALL ON notes FROM shop_app');
      await query(db.blue, 'DROP ROLE shop_owner');
      await query(db.blue, 'DROP ROLE shop_app');
    }
  });

  test('freeze and unfreeze are idempotent', async () => {
    await replication.unfreeze();
    await replication.freeze();
    await replication.freeze();

    await expect(replication.isFrozen()).resolves.toBe(true);
    await expect(query(db.blue, `INSERT INTO notes VALUES ('frozen')`)).rejects.toMatchObject({
      code: READ_ONLY_TRANSACTION,
    });

    await replication.unfreeze();
    await replication.unfreeze();

    await expect(replication.isFrozen()).resolves.toBe(false);
    await expect(query(db.blue, `INSERT INTO notes VALUES ('thawed')`)).resolves.toEqual([]);
  });
});

describe('switch-over', () => {
  test('disables the subscription so that writes on blue no longer reach green', async () => {
    await caughtUp();

    await replication.switchOver(undefined);
    await replication.switchOver(undefined);

    const [subscription] = await query(
      db.green,
      `SELECT subenabled FROM pg_subscription WHERE subname = 'cutover_shop'`,
    );
    expect(subscription).toEqual({ subenabled: false });
    await query(db.blue, `INSERT INTO customers VALUES ('after-switch@example.com', 'After switch')`);
    await eventually(async () => expect((await replication.lag()).streaming).toBe(false));
    await sleep(1500);
    await expect(
      query(db.green, `SELECT 1 FROM customers WHERE email = 'after-switch@example.com'`),
    ).resolves.toEqual([]);
  });

  test('fails with SwitchoverFailed when the subscription does not exist on green', async () => {
    const elsewhere = new PostgresReplication({
      source: db.blue,
      target: db.green,
      subscription: 'no_such_subscription',
      publication: 'cutover_shop',
    });

    await expect(elsewhere.switchOver(undefined)).rejects.toMatchObject({
      name: ErrorNames.SwitchoverFailed,
    });
  });
});
