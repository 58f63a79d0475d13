import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScriptsLocally } from '../../local/runbook/run-script';
import { oneStepRunbook } from './support/local-runbook';

/** A fake /proc: meminfo with the given KiB figures and an empty sys/vm/drop_caches. */
function fakeProc(memory: { total: number; available: number }): { proc: string; dropCaches: string } {
  const proc = mkdtempSync(join(tmpdir(), 'proc-'));
  mkdirSync(join(proc, 'sys', 'vm'), { recursive: true });
  writeFileSync(
    join(proc, 'meminfo'),
    `MemTotal:       ${memory.total} kB\nMemFree:        ${memory.available / 2} kB\nMemAvailable:   ${memory.available} kB\nCached:         ${memory.available / 4} kB\n`,
  );
  const dropCaches = join(proc, 'sys', 'vm', 'drop_caches');
  writeFileSync(dropCaches, '');
  return { proc, dropCaches };
}

describe('free-disk-caches --local against an injected /proc', () => {
  it('writes exactly "1\\n" to drop_caches by default and reports memory before and after', async () => {
    const { proc, dropCaches } = fakeProc({ total: 1_000_000, available: 50_000 });
    const run = await runScriptsLocally(oneStepRunbook({ script: 'free-disk-caches' }), {
      dryRun: false,
      extraArguments: ['--proc', proc],
    });
    expect(readFileSync(dropCaches, 'utf8')).toBe('1\n');
    expect(run).toMatchObject({ status: 'Success', outcome: 'changed' });
    expect(run.result).toMatchObject({
      wrote: { path: dropCaches, value: '1\n' },
      memoryBefore: { totalKiB: 1_000_000, availableKiB: 50_000, availablePercent: 5 },
      memoryAfter: { totalKiB: 1_000_000, availableKiB: 50_000 },
    });
  });

  it('writes "3\\n" only when the runbook asks for level 3', async () => {
    const { proc, dropCaches } = fakeProc({ total: 1_000_000, available: 50_000 });
    await runScriptsLocally(oneStepRunbook({ script: 'free-disk-caches', parameters: { level: 3 } }), {
      dryRun: false,
      extraArguments: ['--proc', proc],
    });
    expect(readFileSync(dropCaches, 'utf8')).toBe('3\n');
  });

  it('writes nothing in a dry run and says what it would write', async () => {
    const { proc, dropCaches } = fakeProc({ total: 1_000_000, available: 50_000 });
    const before = statSync(dropCaches).mtimeMs;
    const run = await runScriptsLocally(oneStepRunbook({ script: 'free-disk-caches' }), {
      dryRun: true,
      extraArguments: ['--proc', proc],
    });
    expect(readFileSync(dropCaches, 'utf8')).toBe('');
    expect(statSync(dropCaches).mtimeMs).toBe(before);
    expect(run.result).toMatchObject({ dryRun: true, status: 'unchanged', wouldWrite: { value: '1\n' } });
  });

  it('writes nothing when available memory is not under the precondition', async () => {
    const { proc, dropCaches } = fakeProc({ total: 1_000_000, available: 500_000 });
    const run = await runScriptsLocally(
      oneStepRunbook(
        { script: 'free-disk-caches' },
        { preconditions: [{ kind: 'memory-available-below', percent: 10 }] },
      ),
      { dryRun: false, extraArguments: ['--proc', proc] },
    );
    expect(readFileSync(dropCaches, 'utf8')).toBe('');
    expect(run.result).toMatchObject({
      status: 'skipped',
      reason: 'precondition: available memory is 50.0 %, not under 10 %',
    });
  });
});
