import { RunbookValidationError } from '../../../domain/errors';
import { localCommandLine, stepArguments } from '../../../domain/runbook/invocation';
import { lateness } from '../../../domain/runbook/late';
import { verdictAfterBatch, worstCaseHistoryEvents } from '../../../domain/runbook/rate-control';
import { scheduleExpressionProblem } from '../../../domain/runbook/schedule-expression';
import { parseRunbookText } from '../../../domain/runbook/parse';
import { validateRunbook } from '../../../domain/runbook/validate';
import { loadRunbook, loadRunbooks } from '../../../runbooks/catalog';

const base = {
  name: 'free-disk-caches',
  targets: { kind: 'instances', tags: { role: 'app' } },
  steps: [{ script: 'free-disk-caches' }],
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function problems(raw: unknown): string[] {
  try {
    validateRunbook(raw);
  } catch (error) {
    if (error instanceof RunbookValidationError) return error.message.split('\n');
    throw error;
  }
  throw new Error('the runbook was accepted');
}

describe('runbook validation', () => {
  it('accepts every runbook that ships, with the defaults filled in', () => {
    const runbooks = loadRunbooks();
    expect(runbooks.map((r) => r.name)).toEqual([
      'clean-tmp-and-logs',
      'free-disk-caches',
      'reap-zombies',
      'restart-unhealthy-service',
    ]);
    const caches = loadRunbook('free-disk-caches');
    expect(caches.steps[0]).toEqual({ script: 'free-disk-caches', parameters: { level: 1 } });
    expect(caches.dryRun).toBe(false);
  });

  it('defaults a minimal runbook: level 1, one canary then 5 at once, no errors tolerated, 10m timeout', () => {
    const runbook = validateRunbook(base);
    expect(runbook.steps[0]!.parameters).toEqual({ level: 1 });
    expect(runbook.rateControl).toEqual({ maxConcurrency: 5, maxErrors: 0, maxTargets: 100 });
    expect(runbook.timeout).toBe('10m');
    expect(runbook.schedule).toBeUndefined();
  });

  it.each([
    [
      { ...base, steps: [{ script: 'free-disk-caches', parameters: { level: 2 } }] },
      'steps[0].parameters.level: expected 1 (page cache) or 3 (also dentries and inodes)',
    ],
    [
      { ...base, steps: [{ script: 'rm-rf' }] },
      'steps[0].script: "rm-rf" is not supported; expected one of: free-disk-caches, reap-zombies, clean-tmp-and-logs, restart-unhealthy-service',
    ],
    [
      { ...base, steps: [{ script: 'free-disk-caches', command: 'rm -rf /' }] },
      'steps[0].command: unknown field "command"',
    ],
    [{ ...base, targets: { kind: 'instances', tags: {} } }, 'targets.tags: select by 1 to 5 tags'],
    [
      { ...base, targets: { kind: 'lambda' } },
      'targets.kind: "lambda" is not supported; expected one of: instances, ecs',
    ],
    [
      { ...base, schedule: { expression: 'cron(0 3 * * * *)' } },
      'schedule.expression: "cron(0 3 * * * *)": exactly one of day-of-month (3rd field) and day-of-week (5th field) must be "?"',
    ],
    [
      { ...base, schedule: { expression: 'rate(6 hours)', timezone: 'Mars/Olympus' } },
      'schedule.timezone: "Mars/Olympus" is not an IANA time zone',
    ],
    [
      { ...base, schedule: { expression: 'rate(6 hours)', notAfter: 'soon' } },
      'schedule.notAfter: "soon" is not a duration',
    ],
    [
      { ...base, rateControl: { maxConcurrency: 51 } },
      'rateControl.maxConcurrency: 51 is out of range: too big',
    ],
    [{ ...base, timeout: '2h' }, 'timeout: 2h is outside 30s–1h'],
    [
      { ...base, steps: [{ script: 'clean-tmp-and-logs', parameters: { directories: ['/tmp/../etc'] } }] },
      'steps[0].parameters.directories[0]: a directory may not contain "." or ".." parts',
    ],
    [
      { ...base, steps: [{ script: 'reap-zombies', parameters: { terminateParents: ['sh; reboot'] } }] },
      'steps[0].parameters.terminateParents[0]: "sh; reboot" is not a process command',
    ],
    [
      {
        ...base,
        steps: [
          { script: 'restart-unhealthy-service', parameters: { service: 'orders', healthCheck: 'http' } },
        ],
      },
      'steps[0].parameters.healthUrl: missing: healthCheck http needs healthUrl',
    ],
    [{ ...base, rateControl: { maxConcurrency: 1, maxTargets: 500 }, timeout: '1h' }, 'rateControl: up to'],
  ])('refuses %j with a field path', (raw, expected) => {
    expect(problems(raw)).toContainEqual(expect.stringMatching(new RegExp(`^${escape(expected)}`)));
  });

  it('reports a YAML syntax error and a name that differs from the file', () => {
    expect(() => parseRunbookText('name: [', 'x')).toThrow(/^line 1, column \d+: YAML syntax error/);
    expect(() =>
      parseRunbookText(
        'name: other\ntargets: {kind: ecs, cluster: c, service: s}\nsteps: [{script: reap-zombies}]',
        'reap-zombies',
      ),
    ).toThrow('name: "other" differs from the file name; expected "reap-zombies"');
  });

  it('refuses an unknown runbook name, listing the known ones', () => {
    expect(() => loadRunbook('defrag')).toThrow(
      /no runbook named "defrag"; expected one of: clean-tmp-and-logs, /,
    );
  });
});

describe('runbook invocation', () => {
  it('turns typed parameters and preconditions into the script’s command line', () => {
    const runbook = validateRunbook({
      ...base,
      preconditions: [{ kind: 'filesystem-used-above', path: '/var', percent: 80 }],
      steps: [
        {
          script: 'clean-tmp-and-logs',
          parameters: { directories: ['/tmp', '/var/log/app'], olderThanDays: 3 },
        },
      ],
    });
    expect(localCommandLine(runbook, 0, true)).toEqual([
      'clean-tmp-and-logs.py',
      '--dry-run',
      'true',
      '--directories',
      '/tmp:/var/log/app',
      '--older-than-days',
      '3',
      '--used-above-percent',
      '80',
      '--only-if-filesystem-used-above',
      '/var=80',
    ]);
    expect(stepArguments(runbook, 0).map((a) => a.parameter)).toEqual([
      'step1Directories',
      'step1OlderThanDays',
      'step1UsedAbovePercent',
      'precondition1',
    ]);
  });
});

describe('rate control and lateness', () => {
  it.each([
    [{ canary: true, batchFailed: 1, failedAfterCanary: 0, pending: 9, maxErrors: 5 }, 'canary-failed'],
    [{ canary: false, batchFailed: 2, failedAfterCanary: 2, pending: 3, maxErrors: 1 }, 'max-errors'],
    [{ canary: false, batchFailed: 1, failedAfterCanary: 1, pending: 3, maxErrors: 1 }, 'continue'],
    [{ canary: true, batchFailed: 0, failedAfterCanary: 0, pending: 0, maxErrors: 0 }, 'completed'],
  ] as const)('%j → %s', (input, verdict) => {
    expect(verdictAfterBatch(input)).toBe(verdict);
  });

  it('keeps the shipped runbooks far under the 25,000 history events', () => {
    for (const runbook of loadRunbooks()) expect(worstCaseHistoryEvents(runbook)).toBeLessThan(20_000);
  });

  it('skips a scheduled run that starts later than notAfter, never a run started by hand', () => {
    const runbook = validateRunbook({ ...base, schedule: { expression: 'rate(1 hour)', notAfter: '15m' } });
    const scheduled = '2026-11-30T03:00:00Z';
    expect(lateness(runbook, scheduled, new Date('2026-11-30T03:14:59Z'))).toBeUndefined();
    expect(lateness(runbook, scheduled, new Date('2026-11-30T03:15:01Z'))).toBe(
      'scheduled for 2026-11-30T03:00:00Z, started 901 s late (notAfter 15m)',
    );
    expect(lateness(runbook, undefined, new Date('2026-12-30T00:00:00Z'))).toBeUndefined();
  });

  it.each(['rate(1 minute)', 'rate(5 minutes)', 'cron(0 4 * * ? *)', 'cron(*/30 * ? * MON-FRI *)'])(
    'accepts the schedule expression %s',
    (expression) => expect(scheduleExpressionProblem(expression)).toBeUndefined(),
  );
});
