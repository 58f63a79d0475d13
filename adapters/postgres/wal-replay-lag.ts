import type { ReplicationLag, ReplicationMonitor, WalCatchUp } from '../../ports/database';
import type { PostgresSession, PostgresSessions } from './postgres-sessions';

const NOT_REPLAYING: ReplicationLag = { amount: 0, unit: 'bytes', streaming: false };

/**
 * A physical replica's lag in WAL bytes: the source's `pg_current_wal_lsn()` against the replica's
 * `pg_last_wal_replay_lsn()`, compared with `pg_wal_lsn_diff`. Unlike RDS's `ReplicaLag` metric (a
 * minute late, and growing once writes stop), it says exactly whether the last commits were replayed.
 */
export class WalReplayLag implements ReplicationMonitor, WalCatchUp {
  constructor(
    private readonly source: PostgresSessions,
    private readonly replica: PostgresSessions,
  ) {}

  async lag(signal?: AbortSignal): Promise<ReplicationLag> {
    return this.lagBehind(await this.sourcePosition(signal), signal);
  }

  sourcePosition(signal?: AbortSignal): Promise<string> {
    return this.source.run(signal, async (db) => {
      const [row] = await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      if (!row) throw new Error('the source reported no WAL position');
      return row.lsn;
    });
  }

  /**
   * The replica's connection must reach a standby of the source's own cluster (a physical copy shares
   * its primary's system identifier): LSNs read anywhere else are no evidence about the replica that is
   * promoted. Where `pg_control_system()` is not granted, only the standby part is checked.
   */
  async preflight(signal?: AbortSignal): Promise<string[]> {
    const [source, replica] = await Promise.all([
      this.source.run(signal, systemIdentifier),
      this.replica.run(signal, async (db) => {
        const [row] = await db.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
        return { standby: row?.standby ?? false, id: await systemIdentifier(db) };
      }),
    ]);
    if (!replica.standby) {
      return [
        'database.replica: its connection reaches a server that is not replaying WAL (a primary, or a replica already promoted); name the read replica’s connection',
      ];
    }
    if (source !== undefined && replica.id !== undefined && source !== replica.id) {
      return [
        `database.replica: its connection reaches a standby of another database cluster (system identifier ${replica.id}; the source’s is ${source}); name a read replica of the source`,
      ];
    }
    return [];
  }

  lagBehind(position: string, signal?: AbortSignal): Promise<ReplicationLag> {
    return this.replica.run(signal, async (db) => {
      // Outside recovery (not a replica, or already promoted) there is no replay position: NULL.
      const [row] = await db.query<{ standby: boolean; behind: string | null }>(
        `SELECT pg_is_in_recovery() AS standby,
                pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::text AS behind`,
        [position],
      );
      if (!row?.standby || row.behind === null) return NOT_REPLAYING;
      return { amount: Math.max(0, Number(row.behind)), unit: 'bytes', streaming: true };
    });
  }
}

const INSUFFICIENT_PRIVILEGE = '42501';

/** The cluster's system identifier, or undefined where this role may not read it. */
async function systemIdentifier(db: PostgresSession): Promise<string | undefined> {
  try {
    const [row] = await db.query<{ id: string }>(
      'SELECT system_identifier::text AS id FROM pg_control_system()',
    );
    return row?.id;
  } catch (error) {
    if ((error as { code?: string }).code === INSUFFICIENT_PRIVILEGE) return undefined;
    throw error;
  }
}
