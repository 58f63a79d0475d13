import { normalizeRecordName } from '../../domain/dns/record-name';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CutoverError, ErrorNames } from '../../domain/errors';
import { describeLockKey, lockLost } from '../../domain/context/execution-context';
import type { LockKey, MigrationLock } from '../../ports/migration-lock';

interface LockFile {
  readonly owner: string;
  readonly pid: number;
  readonly expiresAt: number;
}

/**
 * Locks shared by every process on this machine (one file per record, created exclusively), so two
 * rehearsals of the same plan cannot run at once. A lock whose process is gone or whose time is up
 * is taken over.
 */
export class FileMigrationLock implements MigrationLock {
  constructor(
    private readonly directory: string,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(key: LockKey, owner: string, ttlSeconds: number): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const file = this.fileOf(key);
    const lock: LockFile = { owner, pid: process.pid, expiresAt: this.now() + ttlSeconds * 1000 };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(file, JSON.stringify(lock), { flag: 'wx' });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await this.read(file);
      if (current?.owner === owner) return;
      if (current && this.alive(current)) {
        throw new CutoverError(
          ErrorNames.LockHeld,
          `${describeLockKey(key)} is locked by ${current.owner} (process ${current.pid}) until ${new Date(current.expiresAt).toISOString()}`,
        );
      }
      await rm(file, { force: true });
    }
    throw new CutoverError(
      ErrorNames.LockHeld,
      `${describeLockKey(key)}: another process took the lock first`,
    );
  }

  async renew(key: LockKey, owner: string, ttlSeconds: number): Promise<void> {
    const file = this.fileOf(key);
    const current = await this.read(file);
    if (current?.owner !== owner) throw lockLost(key, owner, current?.owner);
    const lock: LockFile = { owner, pid: process.pid, expiresAt: this.now() + ttlSeconds * 1000 };
    await writeFile(file, JSON.stringify(lock));
  }

  async release(key: LockKey, owner: string): Promise<void> {
    const file = this.fileOf(key);
    if ((await this.read(file))?.owner === owner) await rm(file, { force: true });
  }

  private alive(lock: LockFile): boolean {
    if (lock.expiresAt <= this.now()) return false;
    try {
      process.kill(lock.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  private async read(file: string): Promise<LockFile | undefined> {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as LockFile;
    } catch {
      return undefined;
    }
  }

  private fileOf(key: LockKey): string {
    const name = `${key.hostedZoneId}_${normalizeRecordName(key.recordName)}`.replace(
      /[^a-zA-Z0-9_.-]/g,
      '_',
    );
    return join(this.directory, `${name}.lock`);
  }
}
