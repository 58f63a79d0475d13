import type { ReplicationLag, ReplicationMonitor, WalCatchUp } from '../../ports/database';
import type { PostgresSessions } from './postgres-sessions';

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
