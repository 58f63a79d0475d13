import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { comparePass } from '../adapters/postgres/chunk-pass';
import { PostgresDataVerifier } from '../adapters/postgres/data-verifier';
import { PostgresReplication } from '../adapters/postgres/postgres-replication';
import { PostgresSessions } from '../adapters/postgres/postgres-sessions';
import { TablePair, type Sides } from '../adapters/postgres/table-checksums';
import { recheckWholeTable } from '../adapters/postgres/table-recheck';
import { CATCH_UP_POLL } from '../domain/database/catch-up-poll';
import { verificationSlotName } from '../domain/verification/change-stream';
import type { ChangedKey, PassCursor } from '../ports/database';
import { setUpLogicalReplication, type ReplicatedDatabase } from '../local/logical-replication';
import { startPostgresPair } from '../local/postgres-pair';
import { ORDERS_SCHEMA } from '../local/sample-app/schema';
import { RetryingDatabase } from '../local/sample-app/retrying-database';

export const TABLE_SIZES = [10_000, 100_000, 1_000_000] as const;
/** A verification invocation's budget on AWS: a quarter of the steps' 2-minute function timeout. */
const BUDGET_MS = 30_000;
/** The demo plan's first chunk. */
const CHUNK_SIZE = 10_000;
const TABLES = ['orders'];
const WRITERS = 4;
/** How long each writer waits between writes: about 4 × 100 writes/s. */
const WRITE_PAUSE_MS = 10;
export const TABLE_SIZE_HEADING = '## Write stall against table size';

export interface TableSizeRun {
  readonly rows: number;
  readonly seedAndSyncSeconds: number;
  readonly pass: {
    readonly seconds: number;
    readonly chunks: number;
    readonly invocations: number;
    /** Rows compared by key because they changed while the pass ran (drained from the change stream). */
    readonly changedRows: number;
  };
  /** The write freeze of this release: caught up, sequences, the last drain's rows compared by key. */
  readonly freeze: FreezeWindow & { readonly recheckMs: number; readonly changedRows: number };
  /** The freeze of the release before: the same, but rows changed since the pass found by xmin, and counts. */
  readonly xminInFreeze: FreezeWindow & { readonly recheckMs: number; readonly changedRows: number };
  /** The freeze before that, for comparison: the whole tables checksummed inside it. */
  readonly wholeInFreeze: FreezeWindow;
}

interface FreezeWindow {
  readonly freezeMs: number;
  readonly writeStallMs: number;
}

/**
 * The database part of a cutover, with its real adapters on two real PostgreSQL servers and writers
 * running all along, at each table size: the chunked pass before the freeze (draining the change stream
 * as it goes), then the freeze as this release runs it and, on the same data, the freeze as the two
 * releases before ran it (rows changed since the pass found by xmin plus row counts; whole tables
 * verified inside it).
 */
export async function measureTableSizes(log: (line: string) => void): Promise<TableSizeRun[]> {
  const runs: TableSizeRun[] = [];
  for (const rows of TABLE_SIZES) runs.push(await measureTableSize(rows, log));
  return runs;
}

async function measureTableSize(rows: number, log: (line: string) => void): Promise<TableSizeRun> {
  log(`table size ${rows}: seeding blue and waiting for green's initial sync…`);
  const pair = await startPostgresPair();
  try {
    const seedStarted = performance.now();
    const db = await setUpLogicalReplication({
      blue: pair.blue,
      green: pair.green,
      database: 'orders',
      publication: 'bench',
      subscription: 'bench',
      schema: ORDERS_SCHEMA,
      tables: ['orders'],
      seed: `INSERT INTO orders (item, quantity) SELECT 'seed-' || g, 1 + g % 9 FROM generate_series(1, ${rows}) g`,
      syncTimeoutMs: 30_000 + rows,
    });
    const seedAndSyncSeconds = (performance.now() - seedStarted) / 1000;
    const names = { publication: 'bench', subscription: 'bench' };
    const replication = new PostgresReplication({ source: db.blue, target: db.green, ...names });
    const verifier = new PostgresDataVerifier({ source: db.blue, target: db.green, ...names });
    const slot = verificationSlotName(`bench-table-size-${rows}`);
    try {
      log(`table size ${rows}: the pass before the freeze, writers running…`);
      const passStarted = performance.now();
      const { pass, state, since } = await withWriters(db, async () => {
        const start = await verifier.startPass({ slot, tables: TABLES, waitMs: BUDGET_MS });
        let cursor: PassCursor | null = null;
        let chunkSize = CHUNK_SIZE;
        let chunks = 0;
        let invocations = 0;
        let changedRows = 0;
        let drain = { drainedTo: start.lsn, differing: [] as readonly ChangedKey[], caughtUp: false };
        // As the VerifyChunks loop runs: chunks while any are left, then a drain of the change stream.
        do {
          if (invocations === 0 || cursor) {
            const progress = await verifier.compareChunks({
              tables: TABLES,
              cursor,
              chunkSize,
              budgetMs: BUDGET_MS,
            });
            ({ cursor, chunkSize } = progress);
            chunks += progress.chunks;
            // The pass only compares; replication lag may leave ranges to re-check in the freeze.
            if (progress.differing.length > 0) log(`  ${progress.differing.length} ranges differed (lag)`);
          }
          const drained = await verifier.drainChanges({
            slot,
            tables: TABLES,
            from: drain.drainedTo,
            differing: drain.differing,
            wholeTables: start.wholeTables,
            budgetMs: BUDGET_MS,
          });
          drain = drained;
          changedRows += drained.rows;
          invocations += 1;
        } while (cursor || !drain.caughtUp);
        return {
          pass: { seconds: (performance.now() - passStarted) / 1000, chunks, invocations, changedRows },
          state: { from: drain.drainedTo, differingRows: drain.differing, wholeTables: start.wholeTables },
          since: start.since,
        };
      });
      log(`table size ${rows}: the freeze, re-checking what changed since the last drain…`);
      let recheck = { recheckMs: 0, changedRows: 0 };
      const freeze = await frozenWindow(db, replication, async () => {
        await verifier.syncSequences();
        const started = performance.now();
        const [orders] = await verifier.recheck({ slot, tables: TABLES, since, ranges: [], ...state });
        if (orders?.differences.length) throw new Error(`differences: ${orders.differences.join('; ')}`);
        recheck = { recheckMs: performance.now() - started, changedRows: orders?.changedRows ?? 0 };
      });
      log(`table size ${rows}: the freeze as the release before ran it (xmin and row counts)…`);
      let xminRecheck = { recheckMs: 0, changedRows: 0 };
      const xminInFreeze = await frozenWindow(db, replication, async () => {
        await verifier.syncSequences();
        const started = performance.now();
        const whole = await withSides(db, async (sides) =>
          recheckWholeTable(sides, await TablePair.describe(sides, 'orders'), since),
        );
        if (whole.differences.length > 0) throw new Error(`differences: ${whole.differences.join('; ')}`);
        xminRecheck = { recheckMs: performance.now() - started, changedRows: whole.changedRows };
      });
      log(`table size ${rows}: the freeze as it was before that, every row verified inside it…`);
      const wholeInFreeze = await frozenWindow(db, replication, async () => {
        await verifier.syncSequences();
        // As the verification ran then: all of it at once, without resting between chunks.
        const whole = await withSides(db, (sides) =>
          comparePass(
            sides,
            { tables: TABLES, cursor: null, chunkSize: CHUNK_SIZE, budgetMs: Number.MAX_SAFE_INTEGER },
            { now: () => performance.now(), rest: async () => undefined },
          ),
        );
        if (whole.differing.length > 0) throw new Error('the whole verification found differences');
      });
      return {
        rows,
        seedAndSyncSeconds,
        pass,
        freeze: { ...freeze, ...recheck },
        xminInFreeze: { ...xminInFreeze, ...xminRecheck },
        wholeInFreeze,
      };
    } finally {
      await replication.dropSlot(slot).catch(() => undefined);
      await Promise.all([replication.close(), verifier.close()]);
    }
  } finally {
    await pair.stop();
  }
}

async function withSides<T>(db: ReplicatedDatabase, work: (sides: Sides) => Promise<T>): Promise<T> {
  const source = new PostgresSessions(db.blue);
  const target = new PostgresSessions(db.green);
  try {
    return await source.run(undefined, (s) => target.run(undefined, (t) => work({ source: s, target: t })));
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

/** Freeze → caught up (polled as the state machine does) → `work` → unfreeze, writers running. */
async function frozenWindow(
  db: ReplicatedDatabase,
  replication: PostgresReplication,
  work: () => Promise<void>,
): Promise<FreezeWindow> {
  let freezeMs = 0;
  const writeStallMs = await withWriters(db, async (writers) => {
    await sleep(500);
    const frozenAt = performance.now();
    await replication.freeze();
    await caughtUpAsTheStateMachineWaits(replication);
    await work();
    await replication.unfreeze();
    freezeMs = performance.now() - frozenAt;
    await sleep(500);
    return writers.stats().longestWriteStallMs;
  });
  return { freezeMs, writeStallMs };
}

/**
 * As CheckCaughtUp and its Wait loop: one check reads the lag every CATCH_UP_POLL.intervalMs for up to
 * its window, then the state machine waits a second before the next check.
 */
async function caughtUpAsTheStateMachineWaits(replication: PostgresReplication): Promise<void> {
  for (;;) {
    const readUntil = performance.now() + CATCH_UP_POLL.windowMs;
    while ((await replication.lag()).amount > 0) {
      if (performance.now() >= readUntil) break;
      await sleep(CATCH_UP_POLL.intervalMs);
    }
    if ((await replication.lag()).amount === 0) return;
    await sleep(1000);
  }
}

/** Runs `work` while WRITERS clients insert orders on blue, riding out the freeze as the sample app does. */
async function withWriters<T>(
  db: ReplicatedDatabase,
  work: (writers: RetryingDatabase) => Promise<T>,
): Promise<T> {
  const pools = new Map<string, Pool>();
  const writers = new RetryingDatabase({
    resolver: { current: async () => db.blue, invalidate: () => undefined },
    pools: {
      for: (target) => {
        const key = `${target.host}:${target.port}`;
        let pool = pools.get(key);
        if (!pool) {
          pool = new Pool({ ...target, max: WRITERS });
          pool.on('error', () => undefined);
          pools.set(key, pool);
        }
        return pool;
      },
    },
    retryBudgetMs: 120_000,
  });
  const stop = new AbortController();
  const loops = Array.from({ length: WRITERS }, async () => {
    while (!stop.signal.aborted) {
      await writers.write((pool) => pool.query(`INSERT INTO orders (item, quantity) VALUES ('bench', 1)`));
      await sleep(WRITE_PAUSE_MS);
    }
  });
  try {
    return await work(writers);
  } finally {
    stop.abort();
    await Promise.all(loops);
    await Promise.all([...pools.values()].map((pool) => pool.end()));
  }
}

export function renderTableSizeSection(runs: readonly TableSizeRun[], loadBefore: readonly number[]): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  return [
    TABLE_SIZE_HEADING,
    '',
    '`npm run bench -- table-size`: the database part of a cutover with its real adapters, on two PostgreSQL',
    `servers on this machine (one \`orders\` table, logical replication), while ${WRITERS} clients insert orders`,
    'on blue and ride out the freeze as the sample app does. Before the freeze, the chunked pass (a',
    `${BUDGET_MS / 1000} s budget per invocation, a quarter of the function timeout; first chunk ${CHUNK_SIZE} rows),`,
    'resting between chunks as long as each took (at most half a core on each side); each invocation then',
    "drains the pass's logical-decoding slot (pgoutput) and compares the rows changed since by key, until a",
    'drain catches up. The freeze: freeze writes, wait until green has caught up (as CheckCaughtUp does:',
    `the lag read every ${CATCH_UP_POLL.intervalMs} ms for up to ${CATCH_UP_POLL.windowMs / 1000} s, then a 1 s Wait), sync sequences, drain what is left (the last seconds of writes) and compare`,
    'those rows by key, drop the slot, unfreeze. For comparison, on the same data and writers: the freeze',
    'of the release before (rows changed since the pass found by `xmin`, and both row counts: each table',
    'read once on each side), and the one before that (every row verified inside the freeze).',
    `Load average before the run: ${loadBefore.map((n) => n.toFixed(1)).join(', ')} (a shared machine).`,
    '',
    '| rows | seed + initial sync | pass before the freeze | re-check in the freeze | freeze | longest write stall | before: re-check by xmin + counts | its freeze | its write stall | freeze, whole tables verified inside it | its write stall |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      (run) =>
        `| ${run.rows.toLocaleString('en')} | ${run.seedAndSyncSeconds.toFixed(1)} s | ${run.pass.seconds.toFixed(1)} s, ${run.pass.chunks} chunks, ${run.pass.invocations} invocation(s), ${run.pass.changedRows} changed rows compared | ${ms(run.freeze.recheckMs)} (${run.freeze.changedRows} changed rows) | ${ms(run.freeze.freezeMs)} | ${ms(run.freeze.writeStallMs)} | ${ms(run.xminInFreeze.recheckMs)} (${run.xminInFreeze.changedRows} changed rows) | ${ms(run.xminInFreeze.freezeMs)} | ${ms(run.xminInFreeze.writeStallMs)} | ${ms(run.wholeInFreeze.freezeMs)} | ${ms(run.wholeInFreeze.writeStallMs)} |`,
    ),
    '',
    `Re-check in the freeze, smallest table to largest: ${trend(runs.map((run) => run.freeze.recheckMs))}; the`,
    `release before (xmin + counts): ${trend(runs.map((run) => run.xminInFreeze.recheckMs))}. Freeze: ${trend(runs.map((run) => run.freeze.freezeMs))}`,
    `(the release before: ${trend(runs.map((run) => run.xminInFreeze.freezeMs))}).`,
    '',
  ].join('\n');
}

function trend(values: readonly number[]): string {
  return `${values.map((value) => value.toFixed(0)).join(' → ')} ms`;
}
