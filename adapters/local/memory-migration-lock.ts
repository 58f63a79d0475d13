import { normalizeRecordName } from '../../domain/dns/record-name';
import { CutoverError, ErrorNames } from '../../domain/errors';
import { describeLockKey, lockLost } from '../../domain/context/execution-context';
import type { LockKey, MigrationLock } from '../../ports/migration-lock';

interface Held {
  readonly owner: string;
  readonly expiresAt: number;
}

/** Locks in memory, with the same rules as the DynamoDB lock: one owner per record until expiry. */
export class MemoryMigrationLock implements MigrationLock {
  private readonly held = new Map<string, Held>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async acquire(key: LockKey, owner: string, ttlSeconds: number): Promise<void> {
    const id = lockId(key);
    const current = this.held.get(id);
    const now = this.now().getTime();
    if (current && current.owner !== owner && current.expiresAt > now) {
      throw new CutoverError(
        ErrorNames.LockHeld,
        `${describeLockKey(key)} is locked by ${current.owner} until ${new Date(current.expiresAt).toISOString()}`,
      );
    }
    this.held.set(id, { owner, expiresAt: now + ttlSeconds * 1000 });
  }

  async renew(key: LockKey, owner: string, ttlSeconds: number): Promise<void> {
    const current = this.held.get(lockId(key));
    if (current?.owner !== owner) throw lockLost(key, owner, current?.owner);
    this.held.set(lockId(key), { owner, expiresAt: this.now().getTime() + ttlSeconds * 1000 });
  }

  /** When the lease of a record's lock ends, if anyone holds it (for tests). */
  expiresAt(key: LockKey): Date | undefined {
    const current = this.held.get(lockId(key));
    return current ? new Date(current.expiresAt) : undefined;
  }

  async release(key: LockKey, owner: string): Promise<void> {
    if (this.held.get(lockId(key))?.owner === owner) this.held.delete(lockId(key));
  }

  /** Who holds a record's lock, if anyone (for tests and the rehearsal report). */
  holder(key: LockKey): string | undefined {
    const current = this.held.get(lockId(key));
    return current && current.expiresAt > this.now().getTime() ? current.owner : undefined;
  }

  get size(): number {
    return this.held.size;
  }
}

function lockId(key: LockKey): string {
  return `${key.hostedZoneId}#${normalizeRecordName(key.recordName)}`;
}
