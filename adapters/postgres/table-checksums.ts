import { CutoverError, ErrorNames } from '../../domain/errors';
import type { TableVerification } from '../../ports/database';
import type { PostgresSession } from './postgres-sessions';
import { describeTable, type TableColumn, type TableShape } from './table-shape';

interface SourceChunk {
  readonly rows: number;
  readonly checksum: string | null;
  readonly firstKey: string[] | null;
  readonly lastKey: string[] | null;
  readonly more: boolean;
}

interface TargetChunk {
  readonly rows: number;
  readonly checksum: string | null;
}

/**
 * Compares one table on both sides in primary-key order, `chunkSize` source rows at a time: each chunk's
 * row count and the md5 of its rows' text. Chunk bounds come from the source; the first chunk is open
 * below and the last open above, so rows that exist only on the target are counted too.
 */
export async function compareTable(
  source: PostgresSession,
  target: PostgresSession,
  table: string,
  chunkSize: number,
): Promise<TableVerification> {
  const [sourceShape, targetShape] = await shapes(source, target, table);
  const sourceSql = new ChunkSql(sourceShape.sql, sourceShape);
  const targetSql = new ChunkSql(targetShape.sql, sourceShape);
  const mismatchedChunks: string[] = [];
  let chunks = 0;
  let sourceRows = 0;
  let targetRows = 0;
  let lower: string[] | undefined;
  for (;;) {
    const [chunk] = await source.query<SourceChunk>(sourceSql.sourceChunk(lower), [
      chunkSize,
      ...(lower ?? []),
    ]);
    if (!chunk) throw new Error(`no chunk summary for ${table}`);
    const upper = chunk.more ? (chunk.lastKey ?? undefined) : undefined;
    const [copy] = await target.query<TargetChunk>(targetSql.targetChunk(lower, upper), [
      ...(lower ?? []),
      ...(upper ?? []),
    ]);
    if (!copy) throw new Error(`no chunk summary for ${table} on the target`);
    chunks += 1;
    sourceRows += chunk.rows;
    targetRows += copy.rows;
    if (chunk.rows !== copy.rows || chunk.checksum !== copy.checksum) {
      mismatchedChunks.push(label(table, chunk));
    }
    if (!upper) break;
    lower = upper;
  }
  return { table, sourceRows, targetRows, chunks, mismatchedChunks };
}

async function shapes(
  source: PostgresSession,
  target: PostgresSession,
  table: string,
): Promise<[TableShape, TableShape]> {
  const sourceShape = await describeTable(source, table);
  if (!sourceShape) {
    throw new CutoverError(ErrorNames.VerificationFailed, `table ${table} does not exist on the source`);
  }
  if (sourceShape.key.length === 0) {
    throw new CutoverError(
      ErrorNames.VerificationFailed,
      `table ${table} has no primary key: chunked verification needs one`,
    );
  }
  const targetShape = await describeTable(target, table);
  if (!targetShape) {
    throw new CutoverError(ErrorNames.VerificationFailed, `table ${table} does not exist on the target`);
  }
  const targetColumns = new Set(targetShape.columns.map((column) => column.name));
  const missing = sourceShape.columns.filter((column) => !targetColumns.has(column.name));
  if (missing.length > 0) {
    const names = missing.map((column) => column.name).join(', ');
    throw new CutoverError(
      ErrorNames.VerificationFailed,
      `table ${table} on the target lacks columns ${names}`,
    );
  }
  return [sourceShape, targetShape];
}

/**
 * The chunk queries for one side. Both sides use the source's column list, so the row text does not
 * depend on column order. Text keys compare under the "C" collation: source and target may sort text
 * differently (another locale, another glibc), which would shift chunk bounds. That makes text keys
 * unable to use their index, a cost paid only when the primary key has a text column.
 */
class ChunkSql {
  private readonly rowText: string;
  private readonly order: string;

  constructor(
    private readonly table: string,
    private readonly shape: TableShape,
  ) {
    this.rowText = `ROW(${shape.columns.map((column) => column.sql).join(', ')})::text`;
    this.order = shape.key.map(ordered).join(', ');
  }

  /** $1 = chunk size, then the exclusive lower bound's key values. */
  sourceChunk(lower: readonly string[] | undefined): string {
    const keyText = `ARRAY[${this.shape.key.map((column) => `${column.sql}::text`).join(', ')}]`;
    const where = lower ? `WHERE ${this.bound('>', 2)}` : '';
    return `WITH page AS MATERIALIZED (
              SELECT ${this.rowText} AS row_text, ${keyText} AS key, row_number() OVER (ORDER BY ${this.order}) AS n
                FROM ${this.table} ${where}
               ORDER BY ${this.order}
               LIMIT $1::int + 1)
            SELECT count(*) FILTER (WHERE n <= $1::int)::int AS rows,
                   md5(string_agg(row_text, '|' ORDER BY n) FILTER (WHERE n <= $1::int)) AS checksum,
                   (SELECT key FROM page WHERE n = 1) AS "firstKey",
                   (SELECT key FROM page WHERE n <= $1::int ORDER BY n DESC LIMIT 1) AS "lastKey",
                   count(*) > $1::int AS more
              FROM page`;
  }

  /** The exclusive lower bound's key values, then the inclusive upper bound's. */
  targetChunk(lower: readonly string[] | undefined, upper: readonly string[] | undefined): string {
    const conditions: string[] = [];
    if (lower) conditions.push(this.bound('>', 1));
    if (upper) conditions.push(this.bound('<=', 1 + (lower?.length ?? 0)));
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return `SELECT count(*)::int AS rows, md5(string_agg(${this.rowText}, '|' ORDER BY ${this.order})) AS checksum
              FROM ${this.table} ${where}`;
  }

  /** A row comparison of the key with parameters $first.. (text, converted to the key columns' types). */
  private bound(operator: '>' | '<=', first: number): string {
    const parameters = this.shape.key.map((_, index) => `$${first + index}`);
    return `(${this.order}) ${operator} (${parameters.join(', ')})`;
  }
}

function ordered(column: TableColumn): string {
  return column.collatable ? `${column.sql} COLLATE "C"` : column.sql;
}

/** "orders[1..10000]": the chunk's first and last source key; composite keys as "(a,b)". */
function label(table: string, chunk: SourceChunk): string {
  if (!chunk.firstKey || !chunk.lastKey) return `${table}[all]`;
  const key = (values: readonly string[]): string =>
    values.length === 1 ? (values[0] ?? '') : `(${values.join(',')})`;
  return `${table}[${key(chunk.firstKey)}..${key(chunk.lastKey)}]`;
}
