import { comparePass } from '../../../adapters/postgres/chunk-pass';
import { PostgresDataVerifier } from '../../../adapters/postgres/data-verifier';
import { PostgresReplication } from '../../../adapters/postgres/postgres-replication';
import { PostgresSessions } from '../../../adapters/postgres/postgres-sessions';
import { CHUNK_ROWS } from '../../../domain/verification/chunk-size';
import type { ReplicatedDatabase } from '../../../local/logical-replication';
import type { ChunkPassProgress, ChunkPassRequest, PassCursor } from '../../../ports/database';
import { eventually } from '../../support/eventually';
import { openSession, query } from '../../support/postgres-query';
import {
  startReplicatedPostgres,
  stopReplicatedPostgres,
  type ReplicatedPostgres,
} from '../../support/replicated-postgres';

const ROWS = 5000;
const TABLES = ['items', 'tags'];

const SCHEMA = `CREATE TABLE items (id bigint PRIMARY KEY, payload text NOT NULL);
                CREATE TABLE tags (name text PRIMARY KEY, uses int NOT NULL)`;
const SEED = `INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, ${ROWS}) g;
              INSERT INTO tags SELECT 'tag-' || g, g FROM generate_series(1, 300) g`;

let db: ReplicatedDatabase;
let replication: PostgresReplication;
let verifier: PostgresDataVerifier;
let postgres: ReplicatedPostgres | undefined;

beforeAll(async () => {
  postgres = await startReplicatedPostgres({ database: 'stock', schema: SCHEMA, seed: SEED, tables: TABLES });
  ({ db, replication, verifier } = postgres);
}, 60_000);

afterAll(() => stopReplicatedPostgres(postgres));

async function caughtUp(): Promise<void> {
  await eventually(async () => expect((await replication.lag()).amount).toBe(0));
}

/** Runs a whole pass as the state machine does: one call per invocation, each going on from the last cursor. */
async function passInInvocations(budgetMs: number, chunkSize: number) {
  const calls: { request: ChunkPassRequest; progress: ChunkPassProgress }[] = [];
  let cursor: PassCursor | null = null;
  let size = chunkSize;
  do {
    const request = { tables: TABLES, cursor, chunkSize: size, budgetMs };
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

describe('inside the freeze: only what changed since the pass is checked again', () => {
  afterEach(async () => {
    await replication.unfreeze();
    await caughtUp();
  });

  async function cleanPass(): Promise<string> {
    await caughtUp();
    const since = await verifier.startPass();
    const calls = await passInInvocations(60_000, 1000);
    expect(calls.flatMap((call) => call.progress.differing)).toEqual([]);
    return since;
  }

  test('compares only the rows written since the pass, and finds them equal once replicated', async () => {
    const since = await cleanPass();
    await query(db.blue, `UPDATE items SET payload = 'changed after the pass' WHERE id IN (10, 20)`);
    await caughtUp();
    await replication.freeze();

    const rechecked = await verifier.recheck({ tables: TABLES, since, ranges: [] });

    expect(rechecked).toEqual([
      { table: 'items', sourceRows: ROWS, targetRows: ROWS, changedRows: 2, differences: [] },
      { table: 'tags', sourceRows: 300, targetRows: 300, changedRows: 0, differences: [] },
    ]);
  });

  test('catches a row changed after the pass that green does not hold', async () => {
    const since = await cleanPass();
    await query(db.blue, `UPDATE items SET payload = 'changed after the pass' WHERE id = 42`);
    await caughtUp();
    // The change is lost on green (as a broken apply would lose it): the pass saw the row equal.
    await query(db.green, `UPDATE items SET payload = md5('42') WHERE id = 42`);
    await replication.freeze();

    const [items] = await verifier.recheck({ tables: ['items'], since, ranges: [] });

    expect(items).toMatchObject({ changedRows: 1, differences: ['items[42]'] });
    await query(db.green, `UPDATE items SET payload = 'changed after the pass' WHERE id = 42`);
  });

  test('catches a row deleted after the pass by the row counts', async () => {
    const since = await cleanPass();
    const [row] = await query(db.blue, 'DELETE FROM items WHERE id = 43 RETURNING *');
    await caughtUp();
    await query(db.green, 'INSERT INTO items VALUES ($1, $2)', [row?.['id'], row?.['payload']]);
    await replication.freeze();

    const [items] = await verifier.recheck({ tables: ['items'], since, ranges: [] });

    expect(items?.differences).toEqual([`items: ${ROWS - 1} rows on blue, ${ROWS} on green`]);
    await query(db.green, 'DELETE FROM items WHERE id = 43');
    await replication.unfreeze();
    await query(db.blue, 'INSERT INTO items VALUES ($1, $2)', [row?.['id'], row?.['payload']]);
  });

  test('re-checks rows written by a transaction that was still open when the pass began', async () => {
    await caughtUp();
    const writer = await openSession(db.blue);
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE tags SET uses = uses + 1 WHERE name = 'tag-7'`);
      const since = await verifier.startPass();
      await passInInvocations(60_000, 1000);
      await writer.query('COMMIT');
      await caughtUp();
      await replication.freeze();

      const [, tags] = await verifier.recheck({ tables: TABLES, since, ranges: [] });

      expect(tags).toMatchObject({ table: 'tags', changedRows: 1, differences: [] });
    } finally {
      await writer.end();
    }
  });
});
