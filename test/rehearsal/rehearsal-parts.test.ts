import { scalePlanTime } from '../../domain/plan/time-scale';
import { validatePlan } from '../../domain/plan/validate';
import { parseFault } from '../../local/rehearsal/faults';
import { PhaseTracker } from '../../domain/progress/phase-tracker';
import { outcomeOf } from '../../domain/progress/outcome';
import { exitCodeOf, isZeroDowntime, maxWriteStallMs } from '../../local/rehearsal/rehearsal-report';
import { examplePlan } from '../support/plans';

describe('rehearsal time scale', () => {
  it('shortens pacing durations and TTLs, keeps safety limits, and stays a valid plan', () => {
    const plan = validatePlan(examplePlan('app-postgres-logical.yaml')).plan;
    const scaled = validatePlan(scalePlanTime(plan, 0.05)).plan;
    expect(scaled.traffic.bake).toBe('15000ms');
    expect(scaled.health.interval).toBe('250ms');
    expect(scaled.dns.records[0]!.ttl).toBe(2);
    expect(scaled.health.probes[0]).toEqual(plan.health.probes[0]);
    expect(scaled.database).toMatchObject({
      maxWriteFreeze: '10s',
      approvalTimeout: '180000ms',
      endpoint: { ttl: 1 },
    });
  });

  it.each([0, -1, 1.5])('fails on factor %d', (factor) => {
    const plan = validatePlan(examplePlan()).plan;
    expect(() => scalePlanTime(plan, factor)).toThrow(`time scale must be in (0, 1], got ${factor}`);
  });
});

describe('rehearsal faults', () => {
  it.each([
    ['green-unhealthy', { name: 'green-unhealthy' }],
    ['green-unhealthy:3', { name: 'green-unhealthy', parameter: '3' }],
    ['step-crash:SetWeights', { name: 'step-crash', parameter: 'SetWeights' }],
  ])('reads %s', (text, fault) => {
    expect(parseFault(text)).toEqual(fault);
  });

  it.each([
    [
      'disk-full',
      '--fault "disk-full": unknown fault; expected one of green-unhealthy, green-slow, replication-stalled, router-throttled, step-crash, data-drift, green-fails-to-start',
    ],
    ['step-crash', '--fault step-crash needs a state name, e.g. step-crash:SetWeights'],
    ['green-slow:fast', '--fault "green-slow:fast": the parameter must be a whole number of milliseconds'],
    ['toString', '--fault "toString": unknown fault'],
    ['__proto__', '--fault "__proto__": unknown fault'],
    ['data-drift:7', '--fault "data-drift:7": data-drift takes no parameter'],
    ['replication-stalled:', '--fault "replication-stalled:": replication-stalled takes no parameter'],
    ['green-unhealthy:0', '--fault "green-unhealthy:0": the parameter must be a shift step number from 1'],
  ])('refuses %s', (text, message) => {
    expect(() => parseFault(text)).toThrow(message);
  });
});

describe('rehearsal phases and outcome', () => {
  it('groups states into phases and numbers the shift steps', () => {
    const tracker = new PhaseTracker();
    [
      'Start',
      'ValidatePlan',
      'Preflight',
      'StartDeploy',
      'FirstStep',
      'SelectStep',
      'SetWeights',
      'Bake',
      'SelectStep',
      'Bake',
      'NoteShiftFailure',
      'Rollback',
      'RecordCutoverRolledBack',
    ].forEach((state, i) => tracker.enter(state, i));
    expect(tracker.spans.map((s) => s.name)).toEqual([
      'validate',
      'preflight',
      'deploy',
      'shift-1',
      'shift-2',
      'rollback',
      'finalize',
    ]);
  });

  it('keeps a failed Restore in the restore phase, not the rollback phase', () => {
    const tracker = new PhaseTracker();
    ['SwitchDatabase', 'CheckSwitch', 'Restore', 'NoteRestoreFailure', 'RestoreFailed'].forEach((state, i) =>
      tracker.enter(state, i),
    );
    expect(tracker.spans.map((s) => s.name)).toEqual(['database-switch', 'restore']);
  });

  it.each([
    ['SUCCEEDED', undefined, 'completed'],
    ['FAILED', 'CutoverRolledBack', 'rolled_back'],
    ['FAILED', 'CutoverRestored', 'rolled_back'],
    ['FAILED', 'CutoverStopped', 'failed'],
    ['FAILED', 'LockHeld', 'failed'],
  ] as const)('%s %s is %s', (status, error, outcome) => {
    expect(outcomeOf(status, error)).toBe(outcome);
  });
});

describe('zero downtime and the exit code', () => {
  it.each([
    [0, 0, 1000, true],
    [0, 1000, 1000, true],
    [0, 1001, 1000, false],
    [1, 0, 1000, false],
    [0, 0, 0, true],
  ])(
    '%d failed request(s), a %d ms stall, %d ms allowed: zero downtime is %s',
    (failed, stall, max, zero) => {
      expect(isZeroDowntime(failed, stall, max)).toBe(zero);
    },
  );

  it.each([
    ['completed', true, 0],
    ['completed', false, 3],
    ['rolled_back', true, 1],
    ['rolled_back', false, 1],
    ['failed', false, 1],
  ] as const)('exits with the code for %s, zeroDowntime %s: %d', (outcome, zeroDowntime, code) => {
    expect(exitCodeOf({ outcome, zeroDowntime })).toBe(code);
  });

  it("allows the plan's maxWriteFreeze, Blue/Green's switchover timeout, or nothing without a database", () => {
    expect(maxWriteStallMs(validatePlan(examplePlan('app-postgres-logical.yaml')).plan)).toBe(10_000);
    // Its switchoverTimeout is 5m.
    expect(maxWriteStallMs(validatePlan(examplePlan('app-rds-blue-green.yaml')).plan)).toBe(300_000);
    expect(maxWriteStallMs(validatePlan(examplePlan('app-canary.yaml')).plan)).toBe(0);
  });
});
