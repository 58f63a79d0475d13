import { CutoverError, ErrorNames } from '../../domain/errors';
import type { PostgresSession } from './postgres-sessions';
import { describeTable, type TableColumn, type TableShape } from './table-shape';

/** The connections a comparison reads: the source and the target, each with stable row text settings. */
export interface Sides {
  readonly source: PostgresSession;
  readonly target: PostgresSession;
}

/** One range compared on both sides. */
export interface RangeComparison {
  /** Source rows in the range. */
  readonly rows: number;
  readonly targetRows: number;
  readonly same: boolean;
  /**
   * The range's inclusive upper key; for a table's last chunk, green's last key when green holds rows
   * beyond blue's; null when neither side had a row in it and no bound was given.
   */
  readonly upTo: string[] | null;
  /** True when the source had more rows than the limit: the range ends at its last compared key. */
  readonly more: boolean;
}

interface SourceChunk {
  readonly rows: number;
  readonly checksum: string | null;
  readonly lastKey: string[] | null;
  readonly more: boolean;
}

interface TargetChunk {
  readonly rows: number;
  readonly checksum: string | null;
}

/**
 * One table on both sides: its shape and the queries that compare a range of it. Both sides use the
 * source's column list, so the row text does not depend on column order. Text keys compare under the
 * "C" collation: source and target may sort text differently (another locale, another glibc), which
 * would shift range bounds. That makes text keys unable to use their index, a cost paid only when the
 * primary key has a text column.
 */
export class TablePair {
  readonly rowText: string;
  readonly keyText: string;
  private readonly order: string;

  private constructor(
    readonly table: string,
    readonly shape: TableShape,
    readonly targetSql: string,
  ) {
    this.rowText = `ROW(${shape.columns.map((column) => column.sql).join(', ')})::text`;
    this.keyText = `ARRAY[${shape.key.map((column) => `${column.sql}::text`).join(', ')}]`;
    this.order = shape.key.map(ordered).join(', ');
  }

  /** Refuses (VerificationFailed) a table missing on either side, without a primary key, or lacking columns. */
  static async describe(sides: Sides, table: string): Promise<TablePair> {
    const sourceShape = await describeTable(sides.source, table);
    if (!sourceShape) {
      throw new CutoverError(ErrorNames.VerificationFailed, `table ${table} does not exist on the source`);
    }
    if (sourceShape.key.length === 0) {
      throw new CutoverError(
        ErrorNames.VerificationFailed,
        `table ${table} has no primary key: chunked verification needs one`,
      );
    }
    const targetShape = await describeTable(sides.target, table);
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
    return new TablePair(table, sourceShape, targetShape.sql);
  }

  /**
   * Compares the rows after `after` (exclusive) on both sides: on the source at most `limit` rows, up to
   * `upTo` (inclusive) when given; on the target the same key range. Each side's row count and the md5
   * of its rows' text, in key order.
   */
  async compare(
    sides: Sides,
    after: readonly string[] | null,
    upTo: readonly string[] | null,
    limit: number,
  ): Promise<RangeComparison> {
    const [chunk] = await sides.source.query<SourceChunk>(this.sourceChunk(after, upTo), [
      limit,
      ...(after ?? []),
      ...(upTo ?? []),
    ]);
    if (!chunk) throw new Error(`no chunk summary for ${this.table}`);
    // The table's last chunk also covers rows green holds beyond blue's last key.
    const end = chunk.more
      ? chunk.lastKey
      : upTo
        ? [...upTo]
        : ((await this.lastTargetKeyAfter(sides, chunk.lastKey ?? after)) ?? chunk.lastKey);
    const [copy] = await sides.target.query<TargetChunk>(this.targetChunk(after, end), [
      ...(after ?? []),
      ...(end ?? []),
    ]);
    if (!copy) throw new Error(`no chunk summary for ${this.table} on the target`);
    return {
      rows: chunk.rows,
      targetRows: copy.rows,
      same: chunk.rows === copy.rows && chunk.checksum === copy.checksum,
      upTo: end,
      more: chunk.more,
    };
  }

  /** The target's greatest key after `after` (all of its keys when null), or null when it has none. */
  private async lastTargetKeyAfter(sides: Sides, after: readonly string[] | null): Promise<string[] | null> {
    const [row] = await sides.target.query<{ key: string[] }>(
      `SELECT ${this.keyText} AS key FROM ${this.targetSql} ${after ? `WHERE ${this.bound('>', 1)}` : ''}
        ORDER BY ${this.shape.key.map((column) => `${ordered(column)} DESC`).join(', ')} LIMIT 1`,
      [...(after ?? [])],
    );
    return row?.key ?? null;
  }

  /** Key columns compared with parameters $first.. (text, converted to the key columns' types). */
  bound(operator: '>' | '<=', first: number): string {
    const parameters = this.shape.key.map((_, index) => `$${first + index}`);
    return `(${this.order}) ${operator} (${parameters.join(', ')})`;
  }

  /** $1 = the limit, then the exclusive lower bound's key values, then the inclusive upper bound's. */
  private sourceChunk(after: readonly string[] | null, upTo: readonly string[] | null): string {
    const where = this.where(after, upTo, 2);
    return `WITH page AS MATERIALIZED (
              SELECT ${this.rowText} AS row_text, ${this.keyText} AS key,
                     row_number() OVER (ORDER BY ${this.order}) AS n
                FROM ${this.shape.sql} ${where}
               ORDER BY ${this.order}
               LIMIT $1::bigint + 1)
            SELECT count(*) FILTER (WHERE n <= $1::bigint)::int AS rows,
                   md5(string_agg(row_text, '|' ORDER BY n) FILTER (WHERE n <= $1::bigint)) AS checksum,
                   (SELECT key FROM page WHERE n <= $1::bigint ORDER BY n DESC LIMIT 1) AS "lastKey",
                   count(*) > $1::bigint AS more
              FROM page`;
  }

  /** The exclusive lower bound's key values, then the inclusive upper bound's. */
  private targetChunk(after: readonly string[] | null, upTo: readonly string[] | null): string {
    return `SELECT count(*)::int AS rows, md5(string_agg(${this.rowText}, '|' ORDER BY ${this.order})) AS checksum
              FROM ${this.targetSql} ${this.where(after, upTo, 1)}`;
  }

  private where(after: readonly string[] | null, upTo: readonly string[] | null, first: number): string {
    const conditions: string[] = [];
    if (after) conditions.push(this.bound('>', first));
    if (upTo) conditions.push(this.bound('<=', first + (after?.length ?? 0)));
    return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  }
}

function ordered(column: TableColumn): string {
  return column.collatable ? `${column.sql} COLLATE "C"` : column.sql;
}
