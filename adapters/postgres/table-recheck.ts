import { keyLabel } from '../../domain/verification/key-range';
import { differingKeys } from './keyed-rows';
import type { Sides, TablePair } from './table-checksums';

export interface WholeTableRecheck {
  readonly sourceRows: number;
  readonly targetRows: number;
  /** Rows written on the source since the pass began, compared by key. */
  readonly changedRows: number;
  readonly differences: readonly string[];
}

/**
 * For a table the change stream cannot follow (not published, truncated, ...), with writes frozen and
 * the target caught up: the rows written on the source since the pass began (their xmin is at or after
 * the pass's horizon), compared by key on both sides (the target's xmin are its own), and both sides'
 * row counts, which catch rows deleted since. Reads the table once on each side: it grows with the table.
 */
export async function recheckWholeTable(
  sides: Sides,
  pair: TablePair,
  since: string,
): Promise<WholeTableRecheck> {
  const [[sourceRows, changed], targetRows] = await Promise.all([
    Promise.all([rowCount(sides.source, pair.shape.sql), changedKeys(sides, pair, since)]),
    rowCount(sides.target, pair.targetSql),
  ]);
  const differences: string[] = [];
  if (sourceRows !== targetRows) {
    differences.push(`${pair.table}: ${sourceRows} rows on blue, ${targetRows} on green`);
  }
  for (const key of await differingKeys(sides, pair, changed))
    differences.push(`${pair.table}[${keyLabel(key)}]`);
  return { sourceRows, targetRows, changedRows: changed.length, differences };
}

async function rowCount(db: Sides['source'], table: string): Promise<number> {
  const [row] = await db.query<{ rows: string }>(`SELECT count(*)::text AS rows FROM ${table}`);
  return Number(row?.rows ?? 0);
}

/**
 * The keys of the source's rows whose current version was written by a transaction at or after `since`
 * (a 64-bit id; xmin holds its low 32 bits). age() compares the two modulo 2^32 as PostgreSQL does, so
 * the check holds across a wraparound; frozen rows report an old xmin or the maximal age and are left out.
 */
async function changedKeys(sides: Sides, pair: TablePair, since: string): Promise<string[][]> {
  const rows = await sides.source.query<{ key: string[] }>(
    `SELECT ${pair.keyText} AS key
       FROM ${pair.shape.sql}
      WHERE age(xmin) <= age(($1::bigint % 4294967296)::text::xid)`,
    [since],
  );
  return rows.map((row) => row.key);
}
