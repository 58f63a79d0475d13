import type { ReplicationLag, ReplicationMonitor } from '../../ports/database';
import type { PostgresSessions } from './postgres-sessions';

/** Reported when the lag cannot be measured (no slot, or a slot that never confirmed a position). */
export const UNKNOWN_LAG_BYTES = Number.MAX_SAFE_INTEGER;

// A walsender in 'startup' has not begun decoding and one in 'stopping' is going away; 'catchup' is working.
const RUNNING_SENDER_STATES = new Set(['catchup', 'streaming']);

/**
 * Measures, on the source, how many bytes of WAL the subscriber has not yet confirmed: the current WAL
 * position minus the replication slot's confirmed_flush_lsn.
 */
export class PostgresReplicationLagMonitor implements ReplicationMonitor {
  constructor(
    private readonly source: PostgresSessions,
    private readonly slot: string,
  ) {}

  lag(signal?: AbortSignal): Promise<ReplicationLag> {
    return this.source.run(signal, async (db) => {
      const [slot] = await db.query<{ active: boolean; bytes: string | null; senderState: string | null }>(
        `SELECT s.active,
                pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::text AS bytes,
                r.state AS "senderState"
           FROM pg_replication_slots s
           LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
          WHERE s.slot_name = $1`,
        [this.slot],
      );
      if (!slot) return { amount: UNKNOWN_LAG_BYTES, unit: 'bytes', streaming: false };
      // Roles without pg_read_all_stats see NULL for other roles' walsenders: then the slot's flag decides.
      const senderRunning = slot.senderState === null || RUNNING_SENDER_STATES.has(slot.senderState);
      return {
        amount: slot.bytes === null ? UNKNOWN_LAG_BYTES : Math.max(0, Number(slot.bytes)),
        unit: 'bytes',
        streaming: slot.active && senderRunning,
      };
    });
  }
}
