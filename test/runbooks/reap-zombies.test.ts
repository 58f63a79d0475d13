import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { runScriptsLocally } from '../../local/runbook/run-script';
import { oneStepRunbook } from './support/local-runbook';

interface Family {
  readonly name: string;
  readonly parent: number;
  readonly zombies: number[];
}

/** The state letter of a process (Z for a zombie), or undefined once it is gone. */
function state(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

async function startFamilies(names: string[]): Promise<{ reaper: ChildProcess; families: Family[] }> {
  const reaper = spawn('python3', [join(__dirname, 'support', 'zombie-families.py'), ...names], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const families: Family[] = [];
  for await (const line of createInterface({ input: reaper.stdout! })) {
    if (line === 'ready') break;
    families.push(JSON.parse(line) as Family);
  }
  return { reaper, families };
}

describe('reap-zombies --local (real processes)', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const allowed = `doomed-${suffix}`;
  const kept = `kept-${suffix}`;
  let reaper: ChildProcess;
  let families: Family[];
  let bystander: ChildProcess;

  beforeEach(async () => {
    ({ reaper, families } = await startFamilies([allowed, kept]));
    bystander = spawn('sleep', ['300'], { stdio: 'ignore' });
    for (const family of families) for (const zombie of family.zombies) expect(state(zombie)).toBe('Z');
  });

  afterEach(() => {
    for (const family of families) if (state(family.parent)) process.kill(family.parent, 'SIGKILL');
    reaper.kill('SIGKILL');
    bystander.kill('SIGKILL');
  });

  it('terminates only the allow-listed parent, so its zombies are reaped; the rest is untouched', async () => {
    const runbook = oneStepRunbook({
      script: 'reap-zombies',
      parameters: { terminateParents: [allowed], graceSeconds: 1 },
    });
    const [doomed, keep] = families as [Family, Family];

    const run = await runScriptsLocally(runbook, { dryRun: false });

    expect(run.status).toBe('Success');
    expect(run.outcome).toBe('changed');
    const result = run.result as Record<string, Array<{ pid: number }> | number[]>;
    for (const zombie of doomed.zombies) expect(state(zombie)).toBeUndefined();
    expect(state(doomed.parent)).toBeUndefined();
    expect(result['reaped']).toEqual(expect.arrayContaining(doomed.zombies));
    expect((result['terminated'] as Array<{ pid: number }>).map((p) => p.pid)).toEqual([doomed.parent]);
    // SIGCHLD went to both parents; the one not on the allow-list lives on, zombies and all.
    expect((result['signalled'] as Array<{ pid: number }>).map((p) => p.pid)).toEqual(
      expect.arrayContaining([doomed.parent, keep.parent]),
    );
    expect(state(keep.parent)).toMatch(/^[SR]$/);
    for (const zombie of keep.zombies) expect(state(zombie)).toBe('Z');
    expect(state(bystander.pid!)).toMatch(/^[SR]$/);
    expect(state(reaper.pid!)).toMatch(/^[SR]$/);
  });

  it('changes nothing in a dry run and says what it would do', async () => {
    const runbook = oneStepRunbook({
      script: 'reap-zombies',
      parameters: { terminateParents: [allowed], graceSeconds: 1 },
    });
    const [doomed] = families as [Family];

    const run = await runScriptsLocally(runbook, { dryRun: true });

    expect(run.outcome).toBe('unchanged');
    expect(
      (run.result as { wouldTerminate: Array<{ pid: number }> }).wouldTerminate.map((p) => p.pid),
    ).toEqual([doomed.parent]);
    expect(state(doomed.parent)).toMatch(/^[SR]$/);
    for (const zombie of doomed.zombies) expect(state(zombie)).toBe('Z');
  });

  it('skips the run when there are fewer zombies than the precondition asks for', async () => {
    const runbook = oneStepRunbook(
      { script: 'reap-zombies', parameters: { terminateParents: [allowed], graceSeconds: 1 } },
      { preconditions: [{ kind: 'zombies-at-least', count: 100000 }] },
    );
    const run = await runScriptsLocally(runbook, { dryRun: false });
    expect(run.outcome).toBe('skipped');
    expect(state((families[0] as Family).parent)).toMatch(/^[SR]$/);
  });
});
