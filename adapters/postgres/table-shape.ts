import { escapeIdentifier } from './pg';
import type { PostgresSession } from './postgres-sessions';

export interface TableColumn {
  readonly name: string;
  /** Quoted for SQL; collatable columns compare under the "C" collation (see keyOrder). */
  readonly sql: string;
  readonly collatable: boolean;
  /** The column's SQL type, e.g. `bigint`, `character varying(20)`. */
  readonly type: string;
}

export interface TableShape {
  /** Schema-qualified and quoted for SQL. */
  readonly sql: string;
  /** In column order. */
  readonly columns: readonly TableColumn[];
  /** The primary key columns in key order; empty when the table has no primary key. */
  readonly key: readonly TableColumn[];
}

/** The table `name` resolves to (`table` or `schema.table`, through the search path), or undefined. */
export async function describeTable(db: PostgresSession, name: string): Promise<TableShape | undefined> {
  const rows = await db.query<{
    schema: string;
    table: string;
    column: string;
    collatable: boolean;
    type: string;
    keyPosition: number | null;
  }>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, a.attcollation <> 0 AS collatable,
            format_type(a.atttypid, a.atttypmod) AS type,
            array_position(i.indkey::int2[], a.attnum) AS "keyPosition"
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
      WHERE c.oid = to_regclass($1)
      ORDER BY a.attnum`,
    [name],
  );
  const [first] = rows;
  if (!first) return undefined;
  const columns = rows.map((row) => ({
    name: row.column,
    sql: escapeIdentifier(row.column),
    collatable: row.collatable,
    type: row.type,
    keyPosition: row.keyPosition,
  }));
  const key = columns
    .filter((column) => column.keyPosition !== null)
    .sort((a, b) => (a.keyPosition ?? 0) - (b.keyPosition ?? 0));
  const strip = ({ name, sql, collatable, type }: TableColumn): TableColumn => ({
    name,
    sql,
    collatable,
    type,
  });
  return {
    sql: `${escapeIdentifier(first.schema)}.${escapeIdentifier(first.table)}`,
    columns: columns.map(strip),
    key: key.map(strip),
  };
}
