import { setTimeout as sleep } from 'node:timers/promises';
import {
  CHUNK_ROWS,
  MAX_DIFFERING_RANGES,
  nextChunkSize,
  PASS_DUTY_CYCLE,
} from '../../domain/verification/chunk-size';
import type { ChunkPassProgress, ChunkPassRequest, KeyRange, PassCursor } from '../../ports/database';
import { TablePair, type Sides } from './table-checksums';

/** How a pass tells time and rests between chunks. */
export interface PassClock {
  now(): number;
  rest(ms: number): Promise<void>;
}

const REAL_CLOCK: PassClock = { now: () => performance.now(), rest: (ms) => sleep(ms) };

/**
 * Compares chunks in key order from the cursor on, each in its own snapshot on each side, until the
 * budget is spent, resting between chunks (PASS_DUTY_CYCLE). Each chunk's size follows the time the
 * last one took. A chunk that differs is compared again in halves, down to the smallest chunk:
 * differences from replication lag are usually gone by then, and what is left are small ranges, cheap
 * to check again inside the freeze.
 */
export async function comparePass(
  sides: Sides,
  request: ChunkPassRequest,
  clock: PassClock = REAL_CLOCK,
): Promise<ChunkPassProgress> {
  const started = clock.now();
  const pairs = new Map<string, TablePair>();
  const differing: KeyRange[] = [];
  let cursor: PassCursor | null = request.cursor ?? firstOf(request.tables);
  let chunkSize = request.chunkSize;
  let chunks = 0;
  let rows = 0;
  // The first chunk always runs, so every invocation makes progress, however small its budget.
  const withinBudget = () => chunks === 0 || clock.now() - started < request.budgetMs;
  while (cursor && withinBudget() && differing.length <= MAX_DIFFERING_RANGES) {
    const table = cursor.table;
    const pair = pairs.get(table) ?? (await TablePair.describe(sides, table));
    pairs.set(table, pair);
    const chunkStarted = clock.now();
    const chunk = await pair.compare(sides, cursor.after, null, chunkSize);
    const elapsed = clock.now() - chunkStarted;
    // A chunk without source rows still counts when green holds rows in it (beyond blue's last key).
    if (chunk.upTo) {
      chunks += 1;
      rows += chunk.rows;
      if (!chunk.same) await narrow(sides, pair, cursor.after, chunk.upTo, chunk.rows, differing);
      chunkSize = nextChunkSize(chunkSize, elapsed);
      await clock.rest((elapsed * (1 - PASS_DUTY_CYCLE)) / PASS_DUTY_CYCLE);
    }
    cursor = chunk.more && chunk.upTo ? { table, after: chunk.upTo } : nextTable(request.tables, table);
  }
  return { cursor, chunkSize, chunks, rows, differing };
}

/** Splits a differing range in two by source rows, recursively, keeping the halves that still differ. */
async function narrow(
  sides: Sides,
  pair: TablePair,
  after: readonly string[] | null,
  upTo: readonly string[],
  rows: number,
  differing: KeyRange[],
): Promise<void> {
  if (rows <= CHUNK_ROWS.min || differing.length >= MAX_DIFFERING_RANGES) {
    differing.push({ table: pair.table, after, upTo });
    return;
  }
  const first = await pair.compare(sides, after, upTo, Math.ceil(rows / 2));
  const middle = first.more ? first.upTo : null;
  if (!first.same) await narrow(sides, pair, after, middle ?? upTo, first.rows, differing);
  if (!middle) return;
  const second = await pair.compare(sides, middle, upTo, Number.MAX_SAFE_INTEGER);
  if (!second.same) await narrow(sides, pair, middle, upTo, second.rows, differing);
}

function firstOf(tables: readonly string[]): PassCursor | null {
  const [first] = tables;
  return first === undefined ? null : { table: first, after: null };
}

function nextTable(tables: readonly string[], table: string): PassCursor | null {
  const index = tables.indexOf(table);
  if (index < 0) throw new Error(`table ${table} of the verification cursor is not one the plan verifies`);
  const next = tables[index + 1];
  return next === undefined ? null : { table: next, after: null };
}
