import { setTimeout as sleep } from 'node:timers/promises';
import { escapeIdentifier } from './pg';
import type { ReplicationTeardown, TeardownReport } from '../../ports/database';
import type { PostgresSession, PostgresSessions } from './postgres-sessions';

/** How long DROP SUBSCRIPTION may spend reaching the publisher before the slot is left to us. */
const DROP_TIMEOUT = '15s';
const SLOT_DROP_ATTEMPTS = 10;
const SLOT_RETRY_MS = 200;

/**
 * Removes what logical replication leaves once blue is no longer kept: the subscription on the target
 * (DROP SUBSCRIPTION, which also drops its slot on the publisher when it can reach it) and, if it is still
 * there, the replication slot on the source, which would otherwise hold WAL on blue for ever. Idempotent.
 */
export class PostgresSubscriptionTeardown implements ReplicationTeardown {
  constructor(
    private readonly source: PostgresSessions,
    private readonly target: PostgresSessions,
    private readonly subscription: string,
  ) {}

  async tearDown(signal?: AbortSignal): Promise<TeardownReport> {
    const { subscription, slot } = await this.target.run(signal, (db) => this.dropSubscription(db));
    const slotName = slot ?? this.subscription;
    const slotState = await this.source
      .run(signal, (db) => dropSlot(db, slotName))
      .catch((error: unknown) => {
        // Blue may be gone once its retention ended; then so is its slot. Anything else is a failure.
        if (isConnectionRefused(error)) return 'unreachable' as const;
        throw error;
      });
    return { subscription, slot: slotState, slotName };
  }

  private async dropSubscription(
    db: PostgresSession,
  ): Promise<{ subscription: TeardownReport['subscription']; slot?: string }> {
    const [row] = await db.query<{ slot: string | null }>(
      `SELECT subslotname AS slot
         FROM pg_subscription
        WHERE subname = $1 AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [this.subscription],
    );
    if (!row) return { subscription: 'absent' };
    const name = escapeIdentifier(this.subscription);
    await db.query(`SET statement_timeout = '${DROP_TIMEOUT}'`);
    try {
      await db.query(`DROP SUBSCRIPTION ${name}`);
    } catch {
      // The publisher could not be reached to drop the slot: detach the slot, drop the subscription,
      // and drop the slot on the source ourselves.
      await db.query(`ALTER SUBSCRIPTION ${name} DISABLE`);
      await db.query(`ALTER SUBSCRIPTION ${name} SET (slot_name = NONE)`);
      await db.query(`DROP SUBSCRIPTION ${name}`);
    }
    return { subscription: 'dropped', ...(row.slot ? { slot: row.slot } : {}) };
  }
}

/** Drops the slot if it is still there; a walsender still attached to it is ended first. */
async function dropSlot(db: PostgresSession, slot: string): Promise<TeardownReport['slot']> {
  for (let attempt = 1; ; attempt++) {
    const [row] = await db.query<{ pid: number | null }>(
      'SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1',
      [slot],
    );
    if (!row) return attempt === 1 ? 'absent' : 'dropped';
    if (row.pid === null) {
      await db.query('SELECT pg_drop_replication_slot($1)', [slot]);
      return 'dropped';
    }
    // The subscription is gone, so whatever still streams from its slot is left over.
    await db.query('SELECT pg_terminate_backend($1)', [row.pid]);
    if (attempt >= SLOT_DROP_ATTEMPTS) {
      throw new Error(`replication slot ${slot} on the source is still in use by process ${row.pid}`);
    }
    await sleep(SLOT_RETRY_MS);
  }
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH';
}
