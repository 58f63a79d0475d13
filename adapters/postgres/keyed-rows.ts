import type { PostgresSession } from './postgres-sessions';
import type { Sides, TablePair } from './table-checksums';

/** Keys looked up per query: each is one index lookup, and the arrays travel as parameters. */
const KEYS_PER_QUERY = 5000;

/**
 * The keys (text, in key-column order) whose rows differ between the two sides: on one side only, or
 * with another row text. Driven by the keys, so each is one index lookup whatever the table's size. Both
 * sides are read at the same time.
 */
export async function differingKeys(
  sides: Sides,
  pair: TablePair,
  keys: readonly (readonly string[])[],
): Promise<string[][]> {
  const differing: string[][] = [];
  for (let first = 0; first < keys.length; first += KEYS_PER_QUERY) {
    const batch = keys.slice(first, first + KEYS_PER_QUERY);
    const [source, target] = await Promise.all([
      hashesByKey(sides.source, pair, pair.shape.sql, batch),
      hashesByKey(sides.target, pair, pair.targetSql, batch),
    ]);
    batch.forEach((key, index) => {
      if (source.get(index + 1) !== target.get(index + 1)) differing.push([...key]);
    });
  }
  return differing;
}

/** The md5 of each row's text, by the key's position (from 1) in `keys`; keys without a row are absent. */
async function hashesByKey(
  db: PostgresSession,
  pair: TablePair,
  table: string,
  keys: readonly (readonly string[])[],
): Promise<Map<number, string>> {
  if (keys.length === 0) return new Map();
  const columns = pair.shape.key;
  const lists = columns.map((_, index) => keys.map((key) => key[index] ?? null));
  // Names no table column is likely to carry: the row text names the table's columns unqualified.
  const names = columns.map((_, index) => `cutover_key_${index}`);
  const unnest = columns.map((_, index) => `$${index + 1}::text[]`);
  // The key text is converted to the column's type, so it matches however the source printed it.
  const joined = columns.map((column, index) => `t.${column.sql} = k.${names[index]}::${column.type}`);
  const rows = await db.query<{ position: number; hash: string }>(
    `SELECT k.cutover_key_position::int AS position, md5(${pair.rowText}) AS hash
       FROM unnest(${unnest.join(', ')}) WITH ORDINALITY AS k(${names.join(', ')}, cutover_key_position)
       JOIN ${table} t ON ${joined.join(' AND ')}`,
    lists,
  );
  return new Map(rows.map((row) => [row.position, row.hash]));
}
