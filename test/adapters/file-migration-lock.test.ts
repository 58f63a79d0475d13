import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMigrationLock } from '../../adapters/local/file-migration-lock';
import { ErrorNames } from '../../domain/errors';

const key = { hostedZoneId: 'Z0EXAMPLE', recordName: 'App.Example.com.' };

describe('FileMigrationLock', () => {
  it('refuses a second owner while the first holds the record, then lets it in after release', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-test-'));
    const first = new FileMigrationLock(dir);
    const second = new FileMigrationLock(dir);
    await first.acquire(key, 'rehearsal-a', 60);
    await expect(second.acquire(key, 'rehearsal-b', 60)).rejects.toMatchObject({
      name: ErrorNames.LockHeld,
      message: expect.stringContaining('record App.Example.com. in zone Z0EXAMPLE is locked by rehearsal-a'),
    });
    await first.acquire(key, 'rehearsal-a', 60);
    await second.release(key, 'rehearsal-b');
    expect(await readdir(dir)).toHaveLength(1);
    await first.release(key, 'rehearsal-a');
    await second.acquire(key, 'rehearsal-b', 60);
    await expect(first.acquire(key, 'rehearsal-a', 60)).rejects.toMatchObject({ name: ErrorNames.LockHeld });
  });

  it('renews the lease of its owner only: another owner is refused with LockLost', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-test-'));
    let now = 1_000_000;
    const lock = new FileMigrationLock(dir, () => now);
    await lock.acquire(key, 'rehearsal-a', 60);
    now += 50_000;
    await lock.renew(key, 'rehearsal-a', 60);
    now += 50_000; // past the first lease, within the renewed one
    await expect(lock.acquire(key, 'rehearsal-b', 60)).rejects.toMatchObject({ name: ErrorNames.LockHeld });
    await expect(lock.renew(key, 'rehearsal-b', 60)).rejects.toMatchObject({
      name: ErrorNames.LockLost,
      message:
        'record App.Example.com. in zone Z0EXAMPLE is no longer locked by rehearsal-b: rehearsal-a holds it',
    });
    await lock.release(key, 'rehearsal-a');
    await expect(lock.renew(key, 'rehearsal-a', 60)).rejects.toMatchObject({ name: ErrorNames.LockLost });
  });

  it('takes over a lock whose process is gone or whose time is up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-test-'));
    const lock = new FileMigrationLock(dir);
    await lock.acquire(key, 'crashed', 60);
    const [file] = await readdir(dir);
    await writeFile(
      join(dir, file!),
      JSON.stringify({ owner: 'crashed', pid: 2 ** 22 + 12345, expiresAt: Date.now() + 60_000 }),
    );
    const owner = async () =>
      (JSON.parse(await readFile(join(dir, file!), 'utf8')) as { owner: string }).owner;
    await lock.acquire(key, 'next', 60);
    expect(await owner()).toBe('next');
    await writeFile(
      join(dir, file!),
      JSON.stringify({ owner: 'expired', pid: process.pid, expiresAt: Date.now() - 1 }),
    );
    await lock.acquire(key, 'after-expiry', 60);
    expect(await owner()).toBe('after-expiry');
    await expect(lock.acquire(key, 'late', 60)).rejects.toMatchObject({ name: ErrorNames.LockHeld });
  });
});
