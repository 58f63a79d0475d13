import { setTimeout as sleep } from 'node:timers/promises';
import { escapeIdentifier } from './pg';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { FreezeReport, UntouchedSession, WriteFreeze } from '../../ports/database';
import type { PostgresSession, PostgresSessions } from './postgres-sessions';

const TERMINATE_TIMEOUT_MS = 5000;
const READ_ONLY_SETTINGS = ['on', 'true', 'yes', '1'].map(
  (value) => `default_transaction_read_only=${value}`,
);

/**
 * Freezes writes on the source database: new sessions start read-only (a database default), and the
 * sessions already open are terminated so that they reconnect read-only. This stops well-behaved
 * applications; a session that explicitly asks for a read-write transaction could still write.
 */
export class PostgresWriteFreeze implements WriteFreeze {
  constructor(private readonly source: PostgresSessions) {}

  /**
   * Idempotent: freezing again re-terminates the sessions, in case an earlier attempt stopped halfway.
   * Sessions this role may not terminate (a superuser's, RDS's own `rdsadmin`) are left alone and
   * reported: they may still write.
   */
  freeze(signal?: AbortSignal): Promise<FreezeReport> {
    return this.source.run(signal, async (db) => {
      await writable(db);
      await db.query(`ALTER DATABASE ${await currentDatabase(db)} SET default_transaction_read_only = on`);
      return { untouchedSessions: await terminateOtherClientSessions(db, 'they may still write') };
    });
  }

  /** Idempotent; does nothing when the database is not frozen. */
  unfreeze(signal?: AbortSignal): Promise<void> {
    return this.source.run(signal, async (db) => {
      if (!(await isFrozen(db))) return;
      await writable(db);
      await db.query(`ALTER DATABASE ${await currentDatabase(db)} RESET default_transaction_read_only`);
      // Sessions opened during the freeze are read-only for their whole life.
      await terminateOtherClientSessions(db, 'they stay read-only');
    });
  }

  isFrozen(signal?: AbortSignal): Promise<boolean> {
    return this.source.run(signal, isFrozen);
  }
}

/** This session started read-only if the database is frozen already, and ALTER DATABASE needs a writable one. */
async function writable(db: PostgresSession): Promise<void> {
  await db.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE');
}

async function currentDatabase(db: PostgresSession): Promise<string> {
  const [row] = await db.query<{ name: string }>('SELECT current_database() AS name');
  if (!row) throw new Error('current_database() returned no row');
  return escapeIdentifier(row.name);
}

async function isFrozen(db: PostgresSession): Promise<boolean> {
  const [row] = await db.query<{ frozen: boolean }>(
    `SELECT EXISTS (
       SELECT 1
         FROM pg_db_role_setting s
         JOIN pg_database d ON d.oid = s.setdatabase
        CROSS JOIN unnest(s.setconfig) AS setting
        WHERE d.datname = current_database() AND s.setrole = 0 AND lower(setting) = ANY ($1)
     ) AS frozen`,
    [READ_ONLY_SETTINGS],
  );
  return row?.frozen ?? false;
}

/**
 * Ends the other client sessions of this database and waits until they are gone. Walsenders (the
 * subscription's stream) and background workers are not client backends, so replication keeps running.
 */
async function terminateOtherClientSessions(
  db: PostgresSession,
  consequence: string,
): Promise<UntouchedSession[]> {
  // Signal every session at once, then wait for all of them together: waiting on each in turn
  // (pg_terminate_backend with a timeout) would add the sessions' exit times up while writes are frozen.
  // Only sessions this role may signal (one refusal would abort the whole statement). A session whose
  // type this role cannot see (no pg_read_all_stats) may be a client or the subscription's walsender:
  // it is left alone and reported.
  const sessions = await db.query<{ pid: number; user: string; permitted: boolean }>(
    `SELECT pid, usename AS user, permitted,
            CASE WHEN permitted THEN pg_terminate_backend(pid) ELSE false END AS terminated
       FROM (SELECT a.pid, a.usename,
                    a.backend_type IS NOT NULL
                    AND ((SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                    OR (NOT coalesce(r.rolsuper, false)
                        AND (pg_has_role(current_user, a.usesysid, 'MEMBER')
                             OR pg_has_role(current_user, 'pg_signal_backend', 'MEMBER')))) AS permitted
               FROM pg_stat_activity a
               LEFT JOIN pg_roles r ON r.oid = a.usesysid
              WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
                AND (a.backend_type = 'client backend' OR a.backend_type IS NULL)) AS sessions`,
  );
  const untouched = sessions.filter((session) => !session.permitted).map(({ pid, user }) => ({ pid, user }));
  const pids = sessions.filter((session) => session.permitted).map((session) => session.pid);
  if (pids.length === 0) return untouched;
  const deadline = Date.now() + TERMINATE_TIMEOUT_MS;
  for (;;) {
    const survivors = await db.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE pid = ANY ($1)',
      [pids],
    );
    if (survivors.length === 0) return untouched;
    if (Date.now() > deadline) {
      throw new CutoverError(
        ErrorNames.SwitchoverFailed,
        `sessions ${survivors.map((session) => session.pid).join(', ')} did not end within ${TERMINATE_TIMEOUT_MS} ms; ${consequence}`,
      );
    }
    await sleep(5);
  }
}
