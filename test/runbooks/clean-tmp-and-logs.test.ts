import {
  existsSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScriptsLocally } from '../../local/runbook/run-script';
import { oneStepRunbook } from './support/local-runbook';

const TEN_DAYS_AGO = new Date(Date.now() - 10 * 86_400_000);

/** A tree with old and new files inside the configured directories, and old files outside them. */
function tree() {
  const root = mkdtempSync(join(tmpdir(), 'clean-'));
  const file = (path: string, bytes: number, old: boolean) => {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, 'x'.repeat(bytes));
    if (old) utimesSync(full, TEN_DAYS_AGO, TEN_DAYS_AGO);
    return full;
  };
  const paths = {
    oldTmp: file('tmp/old.tmp', 100, true),
    oldNested: file('tmp/cache/deep/old.bin', 250, true),
    newTmp: file('tmp/new.tmp', 10, false),
    oldLog: file('logs/app.log.1', 1000, true),
    outside: file('outside/old.keep', 500, true),
    outsideDir: join(root, 'outside'),
    linkToDir: join(root, 'tmp', 'escape'),
    linkToFile: join(root, 'logs', 'escape.log'),
  };
  symlinkSync(paths.outsideDir, paths.linkToDir);
  symlinkSync(paths.outside, paths.linkToFile);
  lutimesSync(paths.linkToFile, TEN_DAYS_AGO, TEN_DAYS_AGO);
  return { root, paths };
}

const runbookFor = (root: string, usedAbovePercent: number) =>
  oneStepRunbook({
    script: 'clean-tmp-and-logs',
    parameters: { directories: [join(root, 'tmp'), join(root, 'logs')], olderThanDays: 7, usedAbovePercent },
  });

describe('clean-tmp-and-logs --local on a temporary tree', () => {
  it('deletes only old regular files inside the configured directories, never through a symlink', async () => {
    const { root, paths } = tree();
    const run = await runScriptsLocally(runbookFor(root, 0), { dryRun: false });

    expect(run).toMatchObject({ status: 'Success', outcome: 'changed' });
    expect(existsSync(paths.oldTmp)).toBe(false);
    expect(existsSync(paths.oldNested)).toBe(false);
    expect(existsSync(paths.oldLog)).toBe(false);
    expect(existsSync(paths.newTmp)).toBe(true);
    expect(existsSync(paths.outside)).toBe(true);
    expect(existsSync(paths.linkToDir)).toBe(true);
    expect(existsSync(paths.linkToFile)).toBe(true);
    expect(run.result).toMatchObject({ deletedCount: 3, bytesFreed: 1350 });
    expect((run.result as { deleted: string[] }).deleted.sort()).toEqual(
      [paths.oldTmp, paths.oldNested, paths.oldLog].sort(),
    );
  });

  it('deletes nothing while the filesystem is under the threshold', async () => {
    const { root, paths } = tree();
    const run = await runScriptsLocally(runbookFor(root, 100), { dryRun: false });
    expect(run.outcome).toBe('unchanged');
    expect(existsSync(paths.oldTmp)).toBe(true);
    expect(run.result).toMatchObject({ deletedCount: 0, bytesFreed: 0 });
  });

  it('deletes nothing in a dry run and reports what it would free', async () => {
    const { root, paths } = tree();
    const run = await runScriptsLocally(runbookFor(root, 0), { dryRun: true });
    expect(existsSync(paths.oldTmp)).toBe(true);
    expect(existsSync(paths.oldLog)).toBe(true);
    expect(run.result).toMatchObject({ wouldDeleteCount: 3, wouldFreeBytes: 1350, status: 'unchanged' });
  });
});
