import type { WholeTable } from '../../ports/database';
import type { PostgresSession } from './postgres-sessions';

/**
 * The verified tables whose changes a pgoutput stream of `publication` cannot give in full, with why:
 * pgoutput decodes only the tables and actions the publication publishes, only the rows its filter
 * keeps, and tells the old key of an updated or deleted row only through the table's replica identity.
 * Those tables are re-checked whole in the freeze. (A partitioned table published through its
 * partitions is not listed itself, so it is re-checked whole too.)
 */
export async function tablesOutsideStream(
  db: PostgresSession,
  publication: string,
  tables: readonly string[],
): Promise<WholeTable[]> {
  const rows = await db.query<{
    table: string;
    published: boolean;
    everyAction: boolean;
    filtered: boolean;
    identity: string;
  }>(
    `SELECT t.name AS table,
            pt.tablename IS NOT NULL AS published,
            coalesce(p.pubinsert AND p.pubupdate AND p.pubdelete AND p.pubtruncate, false) AS "everyAction",
            (to_jsonb(pt) ->> 'rowfilter') IS NOT NULL AS filtered,
            c.relreplident::text AS identity
       FROM unnest($1::text[]) AS t(name)
       JOIN pg_class c ON c.oid = to_regclass(t.name)
       LEFT JOIN pg_publication p ON p.pubname = $2
       LEFT JOIN pg_publication_tables pt
              ON pt.pubname = $2 AND format('%I.%I', pt.schemaname, pt.tablename)::regclass = c.oid`,
    [tables, publication],
  );
  return rows.flatMap((row): WholeTable[] => {
    const reason = !row.published
      ? `not in publication ${publication}`
      : !row.everyAction
        ? `publication ${publication} does not publish every insert, update, delete and truncate`
        : row.filtered
          ? `publication ${publication} filters its rows`
          : row.identity !== 'd' && row.identity !== 'f'
            ? 'its replica identity is neither its primary key nor FULL'
            : null;
    return reason ? [{ table: row.table, reason }] : [];
  });
}
