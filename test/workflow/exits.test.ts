import { ErrorNames } from '../../domain/errors';
import { expectCompleted } from '../support/workflow-expectations';
import {
  fastPlan,
  injectFailures,
  namedError,
  Scenario,
  workflowDefinition,
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
    injectFailures(scenario.journal, 'write', [new Error('audit table gone')]);
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
