import { durationSeconds } from '../duration';
import type { Plan } from './schema';

/**
 * The numbers a database switchover is held to, read from the plan in the units each kind of database
 * measures: PostgreSQL replication (logical, or a read replica's replay) in WAL bytes, RDS Blue/Green in seconds.
 */
export interface DatabaseLimits {
  /** Most lag allowed before freezing writes. */
  readonly maxLag: number;
  /** With writes frozen, lag only moves by WAL without table changes: the margin tolerated then. */
  readonly frozenLagTolerance: number;
  /** How long to wait for the lag to fall within `maxLag` before rolling back. */
  readonly catchUpTimeoutSeconds: number;
  /** Longest write freeze before the switchover is abandoned (0 when the database freezes itself). */
  readonly maxWriteFreezeSeconds: number;
  /** How long the switch itself may take once requested (it is polled until then). */
  readonly switchWaitSeconds: number;
}

/** A subscription is disabled at once; RDS documents no bound for promotion: 30 min covers large instances. */
const SWITCH_WAIT_SECONDS = { postgresLogical: 60, readReplicaPromotion: 30 * 60 } as const;
/** After its switchover timeout RDS rolls back; it then needs a few minutes to report it. */
const BLUE_GREEN_ROLLBACK_SECONDS = 300;

export function databaseLimits(plan: Plan): DatabaseLimits | undefined {
  const db = plan.database;
  switch (db.kind) {
    case 'none':
      return undefined;
    case 'postgres-logical':
      return {
        maxLag: db.maxLagBytes,
        frozenLagTolerance: Math.min(db.maxLagBytes, 64 * 1024),
        catchUpTimeoutSeconds: durationSeconds(db.catchUpTimeout),
        maxWriteFreezeSeconds: durationSeconds(db.maxWriteFreeze),
        switchWaitSeconds: SWITCH_WAIT_SECONDS.postgresLogical,
      };
    case 'rds-read-replica':
      // Caught up is judged by LSN once writes are frozen: the replica must have replayed it all.
      return {
        maxLag: db.maxLagBytes,
        frozenLagTolerance: 0,
        catchUpTimeoutSeconds: durationSeconds(db.catchUpTimeout),
        maxWriteFreezeSeconds: durationSeconds(db.maxWriteFreeze),
        switchWaitSeconds: SWITCH_WAIT_SECONDS.readReplicaPromotion,
      };
    case 'rds-blue-green':
      return {
        maxLag: durationSeconds(db.maxLag),
        frozenLagTolerance: 0,
        catchUpTimeoutSeconds: durationSeconds(db.catchUpTimeout),
        maxWriteFreezeSeconds: 0,
        switchWaitSeconds: durationSeconds(db.switchoverTimeout) + BLUE_GREEN_ROLLBACK_SECONDS,
      };
  }
}
