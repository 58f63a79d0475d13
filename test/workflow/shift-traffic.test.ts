import { ErrorNames } from '../../domain/errors';
import { requestRollback } from '../../operations/request-rollback';
import { answerWait } from '../../operations/answer-wait';
import { startLocalExecution } from '../../local/workflow-runner';
import { expectCompleted, expectRolledBack, expectStopped } from '../support/workflow-expectations';
import {
  fastPlan,
  injectFailures,
  namedError,
  Scenario,
  until,
  workflowDefinition,
} from '../support/workflow-harness';

const STEPS = [10, 50, 100];

beforeAll(() => workflowDefinition());

describe('cutover workflow: traffic', () => {
  it('shifts 10 → 50 → 100 % green, releases the lock and records the outcome', async () => {
    const scenario = new Scenario(fastPlan());
    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(scenario.weightHistory).toEqual([
      { blue: 90, green: 10 },
      { blue: 50, green: 50 },
      { blue: 0, green: 100 },
    ]);
  });

  it('stops at preflight, touching nothing, when the weighted records do not exist', async () => {
    const scenario = new Scenario(fastPlan());
    (scenario.router as unknown as { weights: Map<string, unknown> }).weights.clear();
    const result = await scenario.run();
    expectStopped(
      scenario,
      result,
      'preflight',
      ErrorNames.PreflightFailed,
      'no weighted records app.example.com',
    );
  });

  it('stops at preflight when the plan names a record outside this orchestrator', async () => {
    const plan = fastPlan();
    plan.dns.records[0]!.name = 'billing.example.com';
    const scenario = new Scenario(plan);
    scenario.router.addRecord(scenario.plan.dns.records[0]!);
    const result = await scenario.run();
    expectStopped(
      scenario,
      result,
      'preflight',
      ErrorNames.PreflightFailed,
      'billing.example.com in zone Z0EXAMPLEPUBLIC is not among the records',
    );
  });

  it('stops at deploy with the failing resource named when green fails to deploy', async () => {
    const scenario = new Scenario(fastPlan());
    scenario.deployStatus = {
      state: 'failed',
      reason: 'WebService (AWS::ECS::Service): Circuit breaker triggered',
    };
    const result = await scenario.run();
    expectStopped(
      scenario,
      result,
      'deploy',
      ErrorNames.DeployFailed,
      'green deployment failed: WebService (AWS::ECS::Service): Circuit breaker triggered',
    );
  });

  it('refuses a second cutover of a record another execution holds, and leaves its lock alone', async () => {
    const scenario = new Scenario(fastPlan());
    await scenario.lock.acquire(
      { hostedZoneId: 'Z0EXAMPLEPUBLIC', recordName: 'app.example.com' },
      'other-execution',
      3600,
    );
    const result = await scenario.run();
    expect(result).toMatchObject({ status: 'FAILED', error: ErrorNames.LockHeld });
    expect(result.cause).toContain('is locked by other-execution');
    expect(scenario.weightHistory).toEqual([]);
    expect(scenario.lockHolder()).toBe('other-execution');
  });

  it('completes when Route 53 throttles a weight change twice (the same batch is retried)', async () => {
    const scenario = new Scenario(fastPlan());
    const throttled = namedError(ErrorNames.Throttled, 'Rate exceeded');
    injectFailures(scenario.ports.traffic, 'setWeights', [throttled, throttled]);
    expectCompleted(scenario, await scenario.run());
  });

  it('completes when GetChange answers PriorRequestNotComplete once', async () => {
    const scenario = new Scenario(fastPlan());
    injectFailures(scenario.ports.traffic, 'isInSync', [
      namedError(ErrorNames.PriorRequestNotComplete, 'wait'),
    ]);
    expectCompleted(scenario, await scenario.run());
  });

  it('rolls back when a weight change fails outright at step 2', async () => {
    const scenario = new Scenario(fastPlan());
    injectFailures(
      scenario.ports.traffic,
      'setWeights',
      [new Error('InvalidChangeBatch: record not found')],
      () => scenario.greenPercent() === 10,
    );
    const result = await scenario.run();
    expectRolledBack(scenario, result, 'shift', 'Error', 'InvalidChangeBatch');
    expect(scenario.weightHistory.at(-1)).toEqual({ blue: 100, green: 0 });
  });

  it.each(STEPS.map((percent, index) => [index + 1, percent]))(
    'rolls back when health fails at step %d (%d %% green), never going further',
    async (step, percent) => {
      const scenario = new Scenario(fastPlan());
      scenario.health = (green) => (green >= percent ? 'unhealthy' : 'healthy');
      const result = await scenario.run();
      expectRolledBack(
        scenario,
        result,
        'shift',
        ErrorNames.HealthCheckFailed,
        `step ${step} (${percent} % green): 3 consecutive unhealthy rounds`,
      );
      expect(Math.max(...scenario.weightHistory.map((w) => w.green))).toBe(percent);
    },
  );

  it.each(STEPS.map((percent, index) => [index + 1, percent]))(
    'rolls back on an operator’s rollback signal during step %d (%d %% green)',
    async (_step, percent) => {
      const scenario = new Scenario(fastPlan());
      const run = scenario.start();
      await until(() => scenario.greenPercent() === percent);
      const delivered = await requestRollback(scenario.ports, {
        execution: run.executionArn,
        actor: 'alice',
        reason: 'error budget burning',
      });
      const result = await run.result;
      expect(['now', 'next-check']).toContain(delivered);
      expectRolledBack(scenario, result, 'shift', ErrorNames.OperatorRollback, 'rollback requested by alice');
      expect(Math.max(...scenario.weightHistory.map((w) => w.green))).toBe(percent);
    },
  );

  it('catches a failing green while the weight change is still propagating (before INSYNC)', async () => {
    const scenario = new Scenario(fastPlan(), 'slow-dns', 3000);
    scenario.health = () => (scenario.weightHistory.length > 0 ? 'unhealthy' : 'healthy');
    const result = await scenario.run();
    expectRolledBack(scenario, result, 'shift', ErrorNames.HealthCheckFailed, 'step 1 (10 % green)');
    expect(scenario.weightHistory).toEqual([
      { blue: 90, green: 10 },
      { blue: 100, green: 0 },
    ]);
  });

  it('rolls back when health stays inconclusive and the plan says so, never promoting', async () => {
    const plan = fastPlan();
    plan.health.inconclusive = 'rollback';
    const scenario = new Scenario(plan);
    scenario.health = () => 'inconclusive';
    const result = await scenario.run();
    expectRolledBack(
      scenario,
      result,
      'shift',
      ErrorNames.HealthInconclusive,
      '3 consecutive inconclusive rounds',
    );
    expect(scenario.weightHistory.map((w) => w.green)).toEqual([10, 0]);
  });

  it('pauses for a decision on health failure when the plan says pause, and continues when told to', async () => {
    const plan = fastPlan();
    plan.traffic.onHealthFailure = 'pause';
    const scenario = new Scenario(plan);
    let flaky = true;
    scenario.health = (green) => (flaky && green === 50 ? 'unhealthy' : 'healthy');
    const run = scenario.start();
    await until(async () => (await scenario.control.get(run.executionArn)).pending?.kind === 'decision');
    expect(scenario.journal.events.at(-1)).toMatchObject({
      outcome: 'waiting_for_operator',
      phase: 'decision',
    });
    flaky = false;
    await answerWait(scenario.ports, { execution: run.executionArn, actor: 'bob', answer: 'continue' });
    expectCompleted(scenario, await run.result);
  });

  it('rolls back when nobody answers a paused decision before its timeout', async () => {
    const plan = fastPlan();
    plan.traffic.onHealthFailure = 'pause';
    const scenario = new Scenario(plan);
    scenario.health = (green) => (green === 50 ? 'unhealthy' : 'healthy');
    const result = await scenario.run();
    expectRolledBack(scenario, result, 'shift', 'States.Timeout');
  });
});

describe('cutover workflow: injected step crash', () => {
  it('rolls back when a step crashes once', async () => {
    const scenario = new Scenario(fastPlan());
    const result = await startLocalExecution({
      workflow: workflowDefinition(),
      ports: scenario.ports,
      plan: scenario.plan,
      executionName: 'crash-1',
      watchEveryMs: 10,
      crashOnce: ['SetWeights'],
    }).result;
    expectRolledBack(scenario, result, 'shift', 'Error', 'injected crash in SetWeights');
  });

  it('fails fast on a state name that is not a Task', () => {
    const scenario = new Scenario(fastPlan());
    expect(() =>
      startLocalExecution({
        workflow: workflowDefinition(),
        ports: scenario.ports,
        plan: scenario.plan,
        executionName: 'crash-2',
        crashOnce: ['NoSuchState'],
      }),
    ).toThrow('step-crash: no Task state named NoSuchState');
  });
});
