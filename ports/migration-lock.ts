import type { LockKey } from '../domain/context/execution-context';

export type { LockKey };

/** One migration per record at a time; the lock expires so a lost execution cannot hold it forever. */
export interface MigrationLock {
  /** Takes the lock for `owner`, or confirms it already holds it; throws LockHeld when another owner does. */
  acquire(key: LockKey, owner: string, ttlSeconds: number, signal?: AbortSignal): Promise<void>;
  /**
   * Extends `owner`'s lease to `ttlSeconds` from now while it still holds the lock (even past its expiry,
   * when nobody took it over); throws LockLost when another owner holds it or it is gone.
   */
  renew(key: LockKey, owner: string, ttlSeconds: number, signal?: AbortSignal): Promise<void>;
  /** Releases the lock if `owner` holds it; a no-op otherwise. */
  release(key: LockKey, owner: string, signal?: AbortSignal): Promise<void>;
}
