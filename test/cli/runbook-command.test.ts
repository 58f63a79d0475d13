import { ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { captureIo } from '../support/capture-io';

/** A runbook folder with one runbook that cleans a temporary tree, and CUTOVER_HOME for its history. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'runbook-cli-'));
  const dir = join(root, 'runbooks');
  const logs = join(root, 'logs');
  mkdirSync(dir);
  mkdirSync(logs);
  const old = join(logs, 'old.log');
  writeFileSync(old, 'x'.repeat(42));
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  utimesSync(old, tenDaysAgo, tenDaysAgo);
  writeFileSync(
    join(dir, 'clean-logs.yaml'),
    [
      'name: clean-logs',
      'targets: { kind: instances, tags: { role: app } }',
      'schedule: { expression: rate(1 day), timezone: Europe/Paris }',
      'steps:',
      `  - { script: clean-tmp-and-logs, parameters: { directories: [${logs}], usedAbovePercent: 0 } }`,
    ].join('\n'),
  );
  process.env['CUTOVER_HOME'] = join(root, 'home');
  return { dir, old };
}

describe('cutover runbook', () => {
  const sfn = mockClient(SFNClient);
  afterEach(() => sfn.reset());

  it('lists the shipped runbooks as JSON', async () => {
    const io = captureIo();
    expect(await main(['runbook', 'list', '-o', 'json'], io)).toBe(0);
    const runbooks = JSON.parse(io.stdout) as Array<{ name: string; schedule?: { expression: string } }>;
    expect(runbooks.map((r) => r.name)).toEqual([
      'clean-tmp-and-logs',
      'free-disk-caches',
      'reap-zombies',
      'restart-unhealthy-service',
    ]);
  });

  it('shows a runbook with the exact command line of its step', async () => {
    const io = captureIo();
    expect(await main(['runbook', 'show', 'free-disk-caches'], io)).toBe(0);
    expect(io.stdout).toContain(
      'runs: free-disk-caches.py --dry-run false --level 1 --only-if-memory-available-below 15',
    );
  });

  it('runs --local --dry-run, changes nothing, and records the run in the history', async () => {
    const { dir, old } = workspace();
    const io = captureIo();
    expect(
      await main(['runbook', 'run', 'clean-logs', '--local', '--dry-run', '--dir', dir, '-o', 'json'], io),
    ).toBe(0);
    const record = JSON.parse(io.stdout) as { dryRun: boolean; results: Array<{ result: unknown }> };
    expect(record).toMatchObject({
      runbook: 'clean-logs',
      dryRun: true,
      where: 'local',
      trigger: 'manual',
      outcome: 'completed',
    });
    expect(record.results[0]!.result).toMatchObject({ wouldDelete: [old], wouldFreeBytes: 42 });
    expect(existsSync(old)).toBe(true);

    expect(await main(['runbook', 'run', 'clean-logs', '--local', '--dir', dir], captureIo())).toBe(0);
    expect(existsSync(old)).toBe(false);

    const history = captureIo();
    expect(await main(['runbook', 'history', 'clean-logs', '--dir', dir, '-o', 'json'], history)).toBe(0);
    const runs = JSON.parse(history.stdout) as Array<{
      dryRun: boolean;
      changed: string[];
      startedBy: string;
    }>;
    expect(runs.map((r) => [r.dryRun, r.changed])).toEqual([
      [false, ['localhost']],
      [true, []],
    ]);
    expect(runs[0]!.startedBy).toMatch(/^cli:.+@.+$/);
  });

  it('starts the runbook’s workflow on AWS without --local', async () => {
    sfn.on(ListStateMachinesCommand).resolves({
      stateMachines: [
        {
          name: 'cutover-runbook-free-disk-caches',
          stateMachineArn:
            'arn:aws:states:eu-west-1:123456789012:stateMachine:cutover-runbook-free-disk-caches',
          type: 'STANDARD',
          creationDate: new Date(),
        },
      ],
    });
    sfn.on(StartExecutionCommand).resolves({
      executionArn:
        'arn:aws:states:eu-west-1:123456789012:execution:cutover-runbook-free-disk-caches:manual-1',
      startDate: new Date(),
    });
    const io = captureIo();
    expect(await main(['runbook', 'run', 'free-disk-caches', '--dry-run'], io)).toBe(0);
    expect(io.stdout).toContain('started arn:aws:states:eu-west-1:123456789012:execution:');
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!) as Record<
      string,
      unknown
    >;
    expect(input).toEqual({ startedBy: expect.stringMatching(/^cli:/), trigger: 'manual', dryRun: true });
  });

  it('refuses an invalid runbook with the file and field, exit 2', async () => {
    const { dir } = workspace();
    writeFileSync(
      join(dir, 'bad.yaml'),
      'name: bad\ntargets: { kind: instances, tags: { role: app } }\nsteps: [{ script: free-disk-caches, parameters: { level: 2 } }]\n',
    );
    const io = captureIo();
    expect(await main(['runbook', 'show', 'bad', '--dir', dir], io)).toBe(2);
    expect(io.stderr).toBe(
      'bad.yaml: steps[0].parameters.level: expected 1 (page cache) or 3 (also dentries and inodes) (got 2)\n',
    );
  });
});
