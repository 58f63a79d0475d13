import type { RecheckRequest, TableRecheck } from '../../ports/database';
import { keyLabel, rangeLabel } from '../../domain/verification/key-range';
import { TablePair, type Sides } from './table-checksums';

/** Differences named per table at most; the rest are counted. */
const NAMED_DIFFERENCES = 10;

interface KeyedRow {
  readonly key: string[];
  readonly hash: string;
}

/**
 * With writes frozen and the target caught up, checks only what may have changed since the pass:
 * - rows written on the source since the pass began (their xmin is at or after the pass's horizon),
 *   compared with the target's rows of the same keys (the target's xmin are its own: compare by key);
 * - the ranges that still differed at the end of the pass;
 * - both sides' row counts, which catch rows deleted since.
 */
export async function recheckTable(
  sides: Sides,
  table: string,
  request: RecheckRequest,
): Promise<TableRecheck> {
  const pair = await TablePair.describe(sides, table);
  // Each side reads the table once or twice; the two sides work at the same time.
  const [[sourceRows, changed], targetRows] = await Promise.all([
    Promise.all([rowCount(sides.source, pair.shape.sql), changedRows(sides, pair, request.since)]),
    rowCount(sides.target, pair.targetSql),
  ]);
  const differences: string[] = [];
  if (sourceRows !== targetRows) {
    differences.push(`${table}: ${sourceRows} rows on blue, ${targetRows} on green`);
  }
  const onTarget = await rowsByKey(
    sides,
    pair,
    changed.map((row) => row.key),
  );
  const copies = new Map(onTarget.map((row) => [keyLabel(row.key), row.hash]));
  for (const row of changed) {
    if (copies.get(keyLabel(row.key)) !== row.hash) differences.push(`${table}[${keyLabel(row.key)}]`);
  }
  for (const range of request.ranges.filter((range) => range.table === table)) {
    const comparison = await pair.compare(sides, range.after, range.upTo, Number.MAX_SAFE_INTEGER);
    if (!comparison.same) differences.push(rangeLabel(table, range.after, range.upTo));
  }
  return { table, sourceRows, targetRows, changedRows: changed.length, differences: named(differences) };
}

async function rowCount(db: Sides['source'], table: string): Promise<number> {
  const [row] = await db.query<{ rows: string }>(`SELECT count(*)::text AS rows FROM ${table}`);
  return Number(row?.rows ?? 0);
}

/**
 * The source's rows whose current version was written by a transaction at or after `since` (a 64-bit
 * id; xmin holds its low 32 bits). age() compares the two modulo 2^32 as PostgreSQL does, so the check
 * holds across a wraparound; frozen rows report an old xmin or the maximal age and are left out.
 */
async function changedRows(sides: Sides, pair: TablePair, since: string): Promise<KeyedRow[]> {
  return sides.source.query<KeyedRow>(
    `SELECT ${pair.keyText} AS key, md5(${pair.rowText}) AS hash
       FROM ${pair.shape.sql}
      WHERE age(xmin) <= age(($1::bigint % 4294967296)::text::xid)`,
    [since],
  );
}

/** The target's rows with these keys (keys as text, converted to the key columns' types). */
async function rowsByKey(sides: Sides, pair: TablePair, keys: readonly string[][]): Promise<KeyedRow[]> {
  if (keys.length === 0) return [];
  const columns = pair.shape.key;
  const lists = columns.map((_, index) => keys.map((key) => key[index] ?? null));
  // Names no table column is likely to carry: the row text below names the table's columns unqualified.
  const names = columns.map((_, index) => `cutover_key_${index}`);
  const unnest = columns.map((_, index) => `$${index + 1}::text[]`);
  // Driven by the keys, so each is one index lookup whatever the table's size.
  const joined = columns.map((column, index) => `t.${column.sql} = k.${names[index]}::${column.type}`);
  return sides.target.query<KeyedRow>(
    `SELECT ${pair.keyText} AS key, md5(${pair.rowText}) AS hash
       FROM unnest(${unnest.join(', ')}) AS k(${names.join(', ')})
       JOIN ${pair.targetSql} t ON ${joined.join(' AND ')}`,
    lists,
  );
}

function named(differences: readonly string[]): string[] {
  if (differences.length <= NAMED_DIFFERENCES) return [...differences];
  const more = differences.length - NAMED_DIFFERENCES;
  return [...differences.slice(0, NAMED_DIFFERENCES), `and ${more} more in the same table`];
}
