import { comparePass } from '../../../adapters/postgres/chunk-pass';
import { PostgresDataVerifier } from '../../../adapters/postgres/data-verifier';
import { PostgresReplication } from '../../../adapters/postgres/postgres-replication';
import { PostgresSessions } from '../../../adapters/postgres/postgres-sessions';
import { ErrorNames } from '../../../domain/errors';
import { verificationSlotName } from '../../../domain/verification/change-stream';
import { CHUNK_ROWS } from '../../../domain/verification/chunk-size';
import type { ReplicatedDatabase } from '../../../local/logical-replication';
import type {
  ChangeDrainRequest,
  ChangedKey,
  ChunkPassProgress,
  ChunkPassRequest,
  PassCursor,
} from '../../../ports/database';
import { eventually } from '../../support/eventually';
import { openSession, query } from '../../support/postgres-query';
import {
  startReplicatedPostgres,
  stopReplicatedPostgres,
  type ReplicatedPostgres,
} from '../../support/replicated-postgres';

const ROWS = 5000;
const TABLES = ['items', 'tags'];

// ledger is published but only some tests verify it; audit is on both sides, outside the publication.
const SCHEMA = `CREATE TABLE items (id bigint PRIMARY KEY, payload text NOT NULL);
                CREATE TABLE tags (name text PRIMARY KEY, uses int NOT NULL);
                CREATE TABLE ledger (id int PRIMARY KEY, entry text NOT NULL);
                CREATE TABLE audit (id int PRIMARY KEY, note text NOT NULL);
                INSERT INTO audit SELECT g, 'seeded on both' FROM generate_series(1, 6) g`;
const SEED = `INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, ${ROWS}) g;
              INSERT INTO tags SELECT 'tag-' || g, g FROM generate_series(1, 300) g;
              INSERT INTO ledger SELECT g, 'entry ' || g FROM generate_series(1, 10) g`;

let db: ReplicatedDatabase;
let replication: PostgresReplication;
let verifier: PostgresDataVerifier;
let postgres: ReplicatedPostgres | undefined;

beforeAll(async () => {
  postgres = await startReplicatedPostgres({
    database: 'stock',
    schema: SCHEMA,
    seed: SEED,
    tables: [...TABLES, 'ledger'],
  });
  ({ db, replication, verifier } = postgres);
}, 60_000);

afterAll(() => stopReplicatedPostgres(postgres));

async function caughtUp(): Promise<void> {
  await eventually(async () => expect((await replication.lag()).amount).toBe(0));
}

/** Runs a whole pass as the state machine does: one call per invocation, each going on from the last cursor. */
async function passInInvocations(budgetMs: number, chunkSize: number, tables: readonly string[] = TABLES) {
  const calls: { request: ChunkPassRequest; progress: ChunkPassProgress }[] = [];
  let cursor: PassCursor | null = null;
  let size = chunkSize;
  do {
    const request = { tables, cursor, chunkSize: size, budgetMs };
    const progress = await verifier.compareChunks(request);
    calls.push({ request, progress });
    cursor = progress.cursor;
    size = progress.chunkSize;
  } while (cursor);
  return calls;
}

describe('verification before the freeze: a chunked pass', () => {
  test('carries its cursor across invocations and compares every row once', async () => {
    await caughtUp();

    const calls = await passInInvocations(0, 500); // a budget of 0: one chunk per invocation

    const rows = calls.reduce((sum, call) => sum + call.progress.rows, 0);
    expect(rows).toBe(ROWS + 300);
    expect(calls.every((call) => call.progress.chunks === 1)).toBe(true);
    expect(calls.length).toBeGreaterThan(2);
    expect(calls[0]?.request.cursor).toBeNull();
    // Each invocation goes on where the last one stopped: item keys grow, then the next table starts.
    const itemKeys = calls
      .map((call) => call.progress.cursor)
      .filter((cursor) => cursor?.table === 'items')
      .map((cursor) => Number(cursor?.after?.[0]));
    expect(itemKeys).toEqual([...itemKeys].sort((a, b) => a - b));
    expect(calls.some((call) => call.request.cursor?.table === 'tags')).toBe(true);
    expect(calls.flatMap((call) => call.progress.differing)).toEqual([]);
  });

  test('grows the chunk size while chunks are fast', async () => {
    const calls = await passInInvocations(0, CHUNK_ROWS.min);

    const sizes = calls.map((call) => call.request.chunkSize);
    expect(sizes[0]).toBe(CHUNK_ROWS.min);
    expect(sizes[1]).toBe(2 * CHUNK_ROWS.min);
    expect(Math.max(...sizes)).toBeGreaterThan(sizes[1] ?? 0);
  });

  test('shrinks the chunk size when chunks are slow, down to the smallest chunk', async () => {
    const source = new PostgresSessions(db.blue);
    const target = new PostgresSessions(db.green);
    let clock = 0;
    const slowClock = () => (clock += 1500); // every chunk seems to take 1.5 s, three times the target

    const progress = await source.run(undefined, (s) =>
      target.run(undefined, (t) =>
        comparePass(
          { source: s, target: t },
          { tables: ['items'], cursor: null, chunkSize: 1600, budgetMs: 1e9 },
          { now: slowClock, rest: async () => undefined },
        ),
      ),
    );

    // 1600, 800, 400, 200, then 100 rows at a time.
    expect(progress).toMatchObject({ cursor: null, chunkSize: CHUNK_ROWS.min, rows: ROWS, differing: [] });
    expect(progress.chunks).toBe(4 + (ROWS - 3000) / CHUNK_ROWS.min);
  });
});

/** A pass as the workflow runs it: the slot, every chunk, then drains until one catches up. */
async function passWithChanges(tables: readonly string[] = TABLES) {
  await caughtUp();
  const slot = nextSlot();
  const start = await verifier.startPass({ slot, tables, waitMs: 10_000 });
  const chunks = await passInInvocations(60_000, 1000, tables);
  expect(chunks.flatMap((call) => call.progress.differing)).toEqual([]);
  let from = start.lsn;
  let differing: readonly ChangedKey[] = [];
  let wholeTables = start.wholeTables;
  for (;;) {
    const drain = await verifier.drainChanges({
      slot,
      tables,
      from,
      differing,
      wholeTables,
      budgetMs: 60_000,
    });
    ({ differing } = drain);
    from = drain.drainedTo;
    wholeTables = [...wholeTables, ...drain.wholeTables];
    if (drain.caughtUp) break;
  }
  const request = { slot, tables, from, since: start.since, ranges: [] };
  return {
    slot,
    start,
    /** The re-check inside the freeze, with what the pass carried (as the state machine passes it). */
    recheck: async () => {
      await caughtUp();
      await replication.freeze();
      return verifier.recheck({ ...request, from, wholeTables, differingRows: differing });
    },
    drain: (more: Partial<ChangeDrainRequest> = {}) =>
      verifier.drainChanges({ slot, tables, from, differing, wholeTables, budgetMs: 60_000, ...more }),
  };
}

let slots = 0;
const nextSlot = () => verificationSlotName(`chunked-verification-${++slots}`);

describe('inside the freeze: only the rows changed since the last drain are checked again', () => {
  afterEach(async () => {
    await replication.unfreeze();
    await replication.dropLeftoverSlots({});
    await caughtUp();
  });

  test('compares only the rows changed since the pass, and finds them equal once replicated', async () => {
    const pass = await passWithChanges();
    await query(db.blue, `UPDATE items SET payload = 'changed after the pass' WHERE id IN (10, 20)`);

    const rechecked = await pass.recheck();

    expect(rechecked).toEqual([
      { table: 'items', changedRows: 2, wholeTable: null, differences: [] },
      { table: 'tags', changedRows: 0, wholeTable: null, differences: [] },
    ]);
    // The check is over: its slot is gone from blue.
    expect(
      await query(db.blue, 'SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [pass.slot]),
    ).toEqual([]);
  });

  test('catches a row updated after the pass that green does not hold', async () => {
    const pass = await passWithChanges();
    await query(db.blue, `UPDATE items SET payload = 'changed after the pass' WHERE id = 42`);
    await caughtUp();
    // The change is lost on green (as a broken apply would lose it): the pass saw the row equal.
    await query(db.green, `UPDATE items SET payload = md5('42') WHERE id = 42`);

    const [items] = await pass.recheck();

    expect(items).toMatchObject({ changedRows: 1, differences: ['items[42]'] });
    await query(db.green, `UPDATE items SET payload = 'changed after the pass' WHERE id = 42`);
  });

  test('catches a row deleted after the pass that green still holds', async () => {
    const pass = await passWithChanges();
    const [row] = await query(db.blue, 'DELETE FROM items WHERE id = 43 RETURNING *');
    await caughtUp();
    await query(db.green, 'INSERT INTO items VALUES ($1, $2)', [row?.['id'], row?.['payload']]);

    const [items] = await pass.recheck();

    expect(items).toMatchObject({ changedRows: 1, differences: ['items[43]'] });
    await query(db.green, 'DELETE FROM items WHERE id = 43');
    await replication.unfreeze();
    await query(db.blue, 'INSERT INTO items VALUES ($1, $2)', [row?.['id'], row?.['payload']]);
  });

  test('catches a row inserted after the pass that green lacks', async () => {
    const pass = await passWithChanges();
    await query(db.blue, `INSERT INTO items VALUES (9001, 'inserted after the pass')`);
    await caughtUp();
    await query(db.green, 'DELETE FROM items WHERE id = 9001');

    const [items] = await pass.recheck();

    expect(items).toMatchObject({ changedRows: 1, differences: ['items[9001]'] });
    await replication.unfreeze();
    await query(db.blue, 'DELETE FROM items WHERE id = 9001');
  });

  test('follows a primary key change: both the old key and the new one are compared', async () => {
    const pass = await passWithChanges();
    await query(db.blue, 'UPDATE items SET id = 9044 WHERE id = 44');
    await caughtUp();
    await query(db.green, `INSERT INTO items VALUES (44, md5('44'))`);

    const [items] = await pass.recheck();

    expect(items).toMatchObject({ changedRows: 2, differences: ['items[44]'] });
    await query(db.green, 'DELETE FROM items WHERE id = 44');
    await replication.unfreeze();
    await query(db.blue, 'UPDATE items SET id = 44 WHERE id = 9044');
  });

  test('a table truncated during the pass is re-checked whole, with its row counts', async () => {
    const pass = await passWithChanges(['ledger']);
    await query(db.blue, 'TRUNCATE ledger');
    await caughtUp();
    await query(db.green, `INSERT INTO ledger VALUES (1, 'only on green')`);

    const [ledger] = await pass.recheck();

    expect(ledger).toMatchObject({
      wholeTable: { reason: 'truncated during the pass', sourceRows: 0, targetRows: 1 },
      differences: ['ledger: 0 rows on blue, 1 on green'],
    });
    await query(db.green, 'DELETE FROM ledger');
  });

  test('a table outside the publication is re-checked whole: rows written since the pass, and counts', async () => {
    const pass = await passWithChanges(['audit']);
    expect(pass.start.wholeTables).toEqual([{ table: 'audit', reason: 'not in publication cutover_stock' }]);
    await query(db.blue, `INSERT INTO audit VALUES (7, 'written on blue only')`);

    const [audit] = await pass.recheck();

    expect(audit).toMatchObject({
      changedRows: 1,
      wholeTable: { reason: 'not in publication cutover_stock', sourceRows: 7, targetRows: 6 },
      differences: ['audit: 7 rows on blue, 6 on green', 'audit[7]'],
    });
    await replication.unfreeze();
    await query(db.blue, 'DELETE FROM audit WHERE id = 7');
  });

  test('a retried drain compares the same changes again: the slot moves on only to what a later call is given', async () => {
    const pass = await passWithChanges(['items']);
    await query(db.blue, `UPDATE items SET payload = 'changed again' WHERE id = 50`);
    await caughtUp();
    await query(db.green, `UPDATE items SET payload = md5('50') WHERE id = 50`);

    const first = await pass.drain();
    const retried = await pass.drain(); // the same request: as if the first invocation's result was lost

    expect(first.differing).toEqual([{ table: 'items', key: ['50'] }]);
    expect(retried).toMatchObject({ rows: first.rows, differing: first.differing });
    // The next invocation goes on from the first's result: the row is carried, not decoded again.
    const next = await pass.drain({ from: first.drainedTo, differing: first.differing });
    expect(next).toMatchObject({ rows: 1, differing: [{ table: 'items', key: ['50'] }] });
    await query(db.green, `UPDATE items SET payload = 'changed again' WHERE id = 50`);
    const resolved = await pass.drain({ from: next.drainedTo, differing: next.differing });
    expect(resolved).toMatchObject({ rows: 1, differing: [], caughtUp: true });
  });

  test('a drain out of budget stops at a transaction boundary, and the next goes on from there', async () => {
    const pass = await passWithChanges(['items']);
    // One transaction of more messages than one fetch brings: the first batch ends inside it.
    await query(db.blue, 'UPDATE items SET payload = payload');
    await caughtUp();

    const cut = await pass.drain({ budgetMs: 0 });
    const next = await pass.drain({ from: cut.drainedTo });

    expect(cut).toMatchObject({ rows: 0, caughtUp: false });
    expect(next).toMatchObject({ rows: ROWS, differing: [], caughtUp: true });
  });

  test('waits for a transaction open when the pass starts, whose rows the chunks then compare', async () => {
    await caughtUp();
    const writer = await openSession(db.blue);
    const slot = nextSlot();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE tags SET uses = uses + 1 WHERE name = 'tag-7'`);
      let started = false;
      const starting = verifier.startPass({ slot, tables: TABLES, waitMs: 30_000 }).finally(() => {
        started = true;
      });
      // Creating the slot waits on the writer's transaction: a row it writes could be missed otherwise.
      await eventually(async () => {
        const waiting = await query(
          db.blue,
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%pg_create_logical_replication_slot%'`,
        );
        expect(waiting).toHaveLength(1);
      });
      expect(started).toBe(false);
      await writer.query('COMMIT');
      await starting;
      await caughtUp();
      // Committed before the stream's start, the row is the chunks' to compare: a copy lost on green is found.
      await query(db.green, `UPDATE tags SET uses = uses - 1 WHERE name = 'tag-7'`);

      const calls = await passInInvocations(60_000, 1000, ['tags']);

      expect(calls.flatMap((call) => call.progress.differing)).toEqual([
        expect.objectContaining({ table: 'tags', upTo: expect.any(Array) }),
      ]);
      await query(db.green, `UPDATE tags SET uses = uses + 1 WHERE name = 'tag-7'`);
    } finally {
      await writer.end();
    }
  });

  test('gives up creating the slot after its wait, naming the oldest transaction', async () => {
    const writer = await openSession(db.blue);
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE tags SET uses = uses WHERE name = 'tag-8'`);
      const [{ pid }] = (await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
        { pid: number },
      ];

      await expect(
        verifier.startPass({ slot: nextSlot(), tables: TABLES, waitMs: 500 }),
      ).rejects.toMatchObject({
        name: ErrorNames.VerificationFailed,
        message: expect.stringContaining(`did not end within 500 ms (the oldest: process ${pid}`),
      });
    } finally {
      await writer.query('ROLLBACK');
      await writer.end();
    }
  });
});

describe('verification slots', () => {
  test('a retried start finds its slot; dropping it twice finds it gone', async () => {
    const slot = nextSlot();
    const first = await verifier.startPass({ slot, tables: TABLES, waitMs: 10_000 });
    const retried = await verifier.startPass({ slot, tables: TABLES, waitMs: 10_000 });

    expect(retried.lsn).toBe(first.lsn);
    expect(await replication.dropSlot(slot)).toBe('dropped');
    expect(await replication.dropSlot(slot)).toBe('absent');
  });

  test('leftovers: idle verification slots go, except the one named; the subscription slot stays', async () => {
    const [own, stale] = [nextSlot(), nextSlot()];
    for (const slot of [own, stale]) await verifier.startPass({ slot, tables: TABLES, waitMs: 10_000 });

    // Idle for an hour: none yet (PostgreSQL 17 and later tell how long a slot has been idle).
    expect(await replication.dropLeftoverSlots({ idleSeconds: 3600 })).toEqual([]);
    expect(await replication.dropLeftoverSlots({ except: own })).toEqual([stale]);

    const left = await query<{ name: string }>(
      db.blue,
      'SELECT slot_name AS name FROM pg_replication_slots ORDER BY 1',
    );
    expect(left.map((slot) => slot.name)).toEqual(['cutover_stock', own].sort());
    await replication.dropSlot(own);
  });
});
