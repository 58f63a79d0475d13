import type { LockKey } from '../domain/context/execution-context';

export type { LockKey };

/** One migration per record at a time; the lock expires so a lost execution cannot hold it forever. */
export interface MigrationLock {
  /** Takes the lock for `owner`, or confirms it already holds it; throws LockHeld when another owner does. */
  acquire(key: LockKey, owner: string, ttlSeconds: number, signal?: AbortSignal): Promise<void>;
  /** Releases the lock if `owner` holds it; a no-op otherwise. */
  release(key: LockKey, owner: string, signal?: AbortSignal): Promise<void>;
}
