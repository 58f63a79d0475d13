import type { DatabaseKind } from '../context/execution-context';

/** An EventBridge Scheduler `at()` schedule must lie ahead: a retention of 0 finalizes a minute after. */
export const FINALIZE_LEAD_MS = 60_000;

/**
 * Only logical replication leaves something behind once blue is no longer kept: the subscription on
 * green and its replication slot on blue, which holds WAL there for ever. The other kinds need no finalize.
 */
export function needsScheduledFinalize(kind: DatabaseKind): boolean {
  return kind === 'postgres-logical';
}

/** When the finalize runs: once blue's retention ends, and never sooner than a minute after `completedAt`. */
export function finalizeAt(completedAt: Date, keepBlueUntil: Date): Date {
  return new Date(Math.max(keepBlueUntil.getTime(), completedAt.getTime() + FINALIZE_LEAD_MS));
}
