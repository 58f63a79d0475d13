import { ErrorNames } from '../../domain/errors';
import { expectCompleted } from '../support/workflow-expectations';
import {
  fastPlan,
  injectFailures,
  namedError,
  Scenario,
  workflowDefinition,
  ZONE,
} from '../support/workflow-harness';

beforeAll(() => workflowDefinition());

describe('cutover workflow: every exit', () => {
  it('writes one audit record when recording the outcome is retried after the record was written', async () => {
    const scenario = new Scenario(fastPlan());
    injectFailures(
      scenario.journal,
      'notify',
      [namedError(ErrorNames.Throttled, 'Rate exceeded'), namedError(ErrorNames.Throttled, 'Rate exceeded')],
      () => scenario.journal.audit.length > 0,
    );
    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(result.states.filter((state) => state === 'RecordCutoverCompleted')).toHaveLength(1);
    expect(scenario.journal.audit).toHaveLength(1);
  });

  it('fails with its own error and a cause when the outcome cannot be recorded (not States.Runtime)', async () => {
    const scenario = new Scenario(fastPlan());
    scenario.health = () => 'unhealthy';
    const gone = () => new Error('audit table gone');
    injectFailures(scenario.journal, 'write', [gone(), gone(), gone(), gone()]);
    const result = await scenario.run();
    expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverStopped' });
    expect(result.cause).toBe('the outcome was not recorded (Error: audit table gone)');
    expect(scenario.lockHolder()).toBeUndefined();
  });
});

describe('cutover workflow: one cutover per database', () => {
  it('refuses a second plan on the same database, even through other records', async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    const db = scenario.plan.database;
    const source = db.kind === 'postgres-logical' ? db.source.secretArn : '';
    await scenario.lock.acquire(
      { hostedZoneId: 'database', recordName: `postgres:${source}` },
      'other-plan',
      3600,
    );
    const result = await scenario.run();
    expect(result).toMatchObject({ status: 'FAILED', error: ErrorNames.LockHeld });
    expect(result.cause).toContain(`database postgres:${source} is locked by other-plan`);
    expect(scenario.weightHistory).toEqual([]);
    expect(scenario.lockHolder()).toBeUndefined();
  });
});

describe('cutover workflow: the lock’s lease', () => {
  const record = { hostedZoneId: ZONE, recordName: 'app.example.com' };

  it('renews the lease at each shift step, to cover the rest of the worst case from then on', async () => {
    const scenario = new Scenario(fastPlan());
    const renew = scenario.lock.renew.bind(scenario.lock);
    const leases: { ttlSeconds: number; expiresAt: number; acquiredUntil: number }[] = [];
    let acquiredUntil = 0;
    const acquire = scenario.lock.acquire.bind(scenario.lock);
    scenario.lock.acquire = async (key, owner, ttlSeconds) => {
      await acquire(key, owner, ttlSeconds);
      acquiredUntil = scenario.lock.expiresAt(key)?.getTime() ?? 0;
    };
    scenario.lock.renew = async (key, owner, ttlSeconds) => {
      await renew(key, owner, ttlSeconds);
      leases.push({ ttlSeconds, expiresAt: scenario.lock.expiresAt(key)?.getTime() ?? 0, acquiredUntil });
    };
    const result = await scenario.run();
    expectCompleted(scenario, result);
    // Three shift steps, one renewal each (no database, no deploy to poll).
    expect(leases).toHaveLength(3);
    const lockSeconds = leases[0]!.ttlSeconds;
    expect(lockSeconds).toBeGreaterThan(0);
    for (const lease of leases) expect(lease.ttlSeconds).toBe(lockSeconds);
    expect(leases[0]!.expiresAt).toBeGreaterThan(acquiredUntil);
    for (let i = 1; i < leases.length; i++)
      expect(leases[i]!.expiresAt).toBeGreaterThan(leases[i - 1]!.expiresAt);
  });

  it('rolls back instead of carrying on when its lock was taken over, leaving the new holder’s lock alone', async () => {
    const scenario = new Scenario(fastPlan());
    const renew = scenario.lock.renew.bind(scenario.lock);
    let renewals = 0;
    scenario.lock.renew = async (key, owner, ttlSeconds) => {
      renewals += 1;
      if (renewals === 2) {
        // The lease ran out and another execution took the record over.
        await scenario.lock.release(key, owner);
        await scenario.lock.acquire(key, 'intruder', 3600);
      }
      return renew(key, owner, ttlSeconds);
    };
    const result = await scenario.run();
    expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverRolledBack' });
    expect(result.cause).toContain(
      `shift: ${ErrorNames.LockLost}: record app.example.com in zone ${ZONE} is no longer locked by`,
    );
    expect(result.cause).toContain('intruder holds it');
    // The second step never ran: weights went from 10 % green straight back to blue.
    expect(scenario.weightHistory).toEqual([
      { blue: 90, green: 10 },
      { blue: 100, green: 0 },
    ]);
    expect(scenario.lock.holder(record)).toBe('intruder');
    expect(scenario.journal.audit).toHaveLength(1);
  });
});
