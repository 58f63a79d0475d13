import { ErrorNames } from '../../domain/errors';
import { answerWait } from '../../operations/answer-wait';
import { requestRollback } from '../../operations/request-rollback';
import { expectCompleted, expectInvariants, expectRolledBack } from '../support/workflow-expectations';
import type { PlanInput } from '../../domain/plan/schema';
import {
  fastPlan,
  injectFailures,
  namedError,
  Scenario,
  until,
  withApproval,
  workflowDefinition,
} from '../support/workflow-harness';

beforeAll(() => workflowDefinition());

const lagging = { amount: 50_000, unit: 'bytes', streaming: true } as const;
const caughtUp = { amount: 0, unit: 'bytes', streaming: true } as const;

function withOperatorTimeout(operatorTimeout: string): PlanInput {
  const plan = fastPlan({ database: true });
  if (plan.database?.kind === 'postgres-logical') plan.database.operatorTimeout = operatorTimeout;
  return plan;
}

async function pendingKind(scenario: Scenario, executionArn: string, kind: string): Promise<void> {
  await until(async () => (await scenario.control.get(executionArn)).pending?.kind === kind);
}

describe('cutover workflow: database switchover', () => {
  it('freezes writes, waits for catch-up, syncs sequences, verifies, switches the endpoint to green', async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(scenario.database).toMatchObject({ switched: true, sequencesSynced: 1 });
    expect(scenario.endpoint()).toBe('pg-green.internal');
    // Blue stays read-only after the switch: a client with the old address cannot split the brain.
    expect(scenario.database.frozen).toBe(true);
  });

  it('verifies in bounded invocations carrying a cursor before the freeze, then re-checks inside it', async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    scenario.database.passInvocations = 3;
    const result = await scenario.run();
    expectCompleted(scenario, result);
    const states = result.states;
    expect(states.filter((state) => state === 'VerifyChunks')).toHaveLength(3);
    expect(states.lastIndexOf('VerifyChunks')).toBeLessThan(states.indexOf('FreezeWrites'));
    expect(states.indexOf('RecheckData')).toBeGreaterThan(states.indexOf('SyncSequences'));
    expect(states.indexOf('RecheckData')).toBeLessThan(states.indexOf('SwitchDatabase'));
    const requests = scenario.database.passRequests;
    expect(requests.map((request) => request.cursor)).toEqual([
      null,
      { table: 'orders', after: ['100'] },
      { table: 'orders', after: ['200'] },
    ]);
    // Each invocation works to a quarter of what its function (a 2-minute timeout) has left.
    for (const { budgetMs } of requests) {
      expect(budgetMs).toBeGreaterThan(20_000);
      expect(budgetMs).toBeLessThanOrEqual(30_000);
    }
    expect(scenario.database.verificationFinished).toBe(true);
    // Each invocation drained the change stream; the re-check dropped the pass's slot.
    expect(scenario.database.drains).toBe(3);
    expect(scenario.database.droppedSlots).toEqual([expect.stringMatching(/^cutover_verify_[0-9a-f]{16}$/)]);
    expect(scenario.database.slots.size).toBe(0);
  });

  it('goes on draining the change stream after the last chunk until a drain catches up', async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    scenario.database.drainsBehind = 2;
    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(result.states.filter((state) => state === 'VerifyChunks')).toHaveLength(3);
    expect(scenario.database.passRequests).toHaveLength(1);
  });

  it.each([
    {
      when: 'more ranges differ than lag explains',
      setUp: (database: Scenario['database']) => (database.differingRanges = 51),
      cause: "differs from blue's in more than 50 ranges before the freeze",
    },
    {
      when: 'more changed rows differ than lag explains',
      setUp: (database: Scenario['database']) => (database.differingRows = 501),
      cause: "differs from blue's in more than 500 rows changed during the pass",
    },
    {
      when: 'green stays behind the change stream after the pass',
      setUp: (database: Scenario['database']) => (database.drainsBehind = 100),
      cause: 'green stayed behind blue for 13 drains of the change stream',
    },
  ])('rolls back without freezing when $when', async ({ setUp, cause }) => {
    const scenario = new Scenario(fastPlan({ database: true }));
    setUp(scenario.database);
    const result = await scenario.run();
    expectRolledBack(scenario, result, 'database-prepare', ErrorNames.VerificationFailed, cause);
    expect(result.states).not.toContain('FreezeWrites');
    // The rollback path drops the pass's slot: left on blue, it would keep WAL for ever.
    expect(scenario.database.droppedSlots).toHaveLength(1);
    expect(scenario.database.slots.size).toBe(0);
  });

  it("drops the verification slots earlier executions left on blue at preflight, holding the database's lock", async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    scenario.database.slots.add('cutover_verify_0123456789abcdef');
    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(scenario.database.droppedSlots[0]).toBe('cutover_verify_0123456789abcdef');
    expect(scenario.database.droppedSlots).toHaveLength(2);
  });

  it('switches only after an operator approves the point of no return', async () => {
    const scenario = withApproval();
    const run = scenario.start();
    await pendingKind(scenario, run.executionArn, 'approval');
    expect(scenario.database.switched).toBe(false);
    await answerWait(scenario.ports, { execution: run.executionArn, actor: 'carol', answer: 'approve' });
    expectCompleted(scenario, await run.result);
    expect(scenario.database.switched).toBe(true);
  });

  it('rolls back, writes untouched, when the approval is refused', async () => {
    const scenario = withApproval();
    const run = scenario.start();
    await pendingKind(scenario, run.executionArn, 'approval');
    await answerWait(scenario.ports, { execution: run.executionArn, actor: 'carol', answer: 'refuse' });
    const result = await run.result;
    expectRolledBack(
      scenario,
      result,
      'database-prepare',
      ErrorNames.ApprovalRefused,
      'switchover refused by carol',
    );
    expect(scenario.database.switched).toBe(false);
  });

  it('rolls back when the approval gate times out', async () => {
    const result = await withApproval().run();
    expect(result.cause).toContain('database-prepare: States.Timeout');
  });

  it('rolls back, never freezing, when replication never catches up', async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    scenario.database.lag = ({ reads }) => (reads === 0 ? caughtUp : lagging); // fine at preflight, then behind
    const result = await scenario.run();
    expectRolledBack(
      scenario,
      result,
      'database-prepare',
      ErrorNames.ReplicationLagging,
      'replication never caught up: it lags by 50000 bytes (limit 1024)',
    );
    expect(scenario.database.switched).toBe(false);
  });

  it('rolls back and unfreezes when the target does not catch up within the write freeze', async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    scenario.database.lag = ({ frozen }) => (frozen ? lagging : caughtUp); // stuck once writes are frozen
    const result = await scenario.run();
    expectRolledBack(
      scenario,
      result,
      'database-prepare',
      ErrorNames.ReplicationLagging,
      'did not catch up within the 2s write freeze',
    );
    // The check reads again up to the freeze's deadline (2 s, within its few seconds), then gives up.
    expect(result.states.filter((state) => state === 'CheckCaughtUp')).toHaveLength(1);
  });

  it('catches up within one check when the target is a few readings behind once frozen: no Wait', async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    const frozenReads: number[] = [];
    scenario.database.lag = ({ frozen, reads }) => {
      if (!frozen) return caughtUp;
      frozenReads.push(reads);
      return frozenReads.length <= 3 ? lagging : caughtUp; // behind at the first three readings
    };
    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(frozenReads).toHaveLength(4);
    expect(result.states.filter((state) => state === 'CheckCaughtUp')).toHaveLength(1);
    expect(result.states).not.toContain('CaughtUpWait');
  });

  it('hands a slow catch-up back to the Wait loop after a few seconds of reading, then goes on', async () => {
    const plan = fastPlan({ database: true });
    if (plan.database?.kind === 'postgres-logical') plan.database.maxWriteFreeze = '10s';
    const scenario = new Scenario(plan);
    // Behind for the whole of the first check once frozen: caught up from the next invocation on.
    let invocations = 0;
    let firstFrozen: number | undefined;
    const open = scenario.ports.database;
    Object.assign(scenario.ports, { database: (db: never) => ((invocations += 1), open(db)) });
    scenario.database.lag = ({ frozen }) => {
      if (!frozen) return caughtUp;
      firstFrozen ??= invocations;
      return invocations === firstFrozen ? lagging : caughtUp;
    };
    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(result.states.filter((state) => state === 'CheckCaughtUp')).toHaveLength(2);
    expect(result.states.filter((state) => state === 'CaughtUpWait')).toHaveLength(1);
  });

  it('rolls back and unfreezes when green’s data differs from blue’s', async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    scenario.database.differences = ['orders[42]'];
    const result = await scenario.run();
    expectRolledBack(scenario, result, 'database-prepare', ErrorNames.VerificationFailed, 'orders[42]');
    expect(scenario.endpoint()).toBe('pg-blue.internal');
  });

  it('rolls back on an operator’s rollback signal while waiting for approval', async () => {
    const scenario = withApproval();
    const run = scenario.start();
    await pendingKind(scenario, run.executionArn, 'approval');
    expect(
      await requestRollback(scenario.ports, {
        execution: run.executionArn,
        actor: 'dave',
        reason: 'not tonight',
      }),
    ).toBe('now');
    expectRolledBack(
      scenario,
      await run.result,
      'database-prepare',
      ErrorNames.OperatorRollback,
      'rollback requested by dave: not tonight',
    );
  });

  it('unfreezes blue and rolls back when the freeze reaches maxWriteFreeze, without waiting for the step', async () => {
    const scenario = new Scenario(fastPlan({ database: true })); // maxWriteFreeze: 2s
    scenario.database.verifyMs = 60_000;
    const result = await scenario.run();
    expectRolledBack(
      scenario,
      result,
      'database-prepare',
      ErrorNames.WriteFreezeExceeded,
      'reached its limit',
    );
    expect(scenario.database.verificationFinished).toBe(false);
    expect(scenario.database.switched).toBe(false);
    expect(scenario.endpoint()).toBe('pg-blue.internal');
  });

  describe('the switch: requested, then polled (an RDS promotion or Blue/Green switchover takes minutes)', () => {
    it('polls a slow switch until it is done, then repoints the endpoint', async () => {
      const scenario = new Scenario(fastPlan({ database: true }));
      scenario.database.switchingPolls = 3;
      const result = await scenario.run();
      expectCompleted(scenario, result);
      expect(result.states.filter((state) => state === 'CheckSwitch')).toHaveLength(3);
      expect(scenario.database.switchAttempts).toBe(1);
      expect(scenario.endpoint()).toBe('pg-green.internal');
    });

    it('waits for an operator when the switch fails while being polled', async () => {
      const scenario = new Scenario(fastPlan({ database: true }));
      scenario.database.switchingPolls = 5;
      scenario.database.failAtPoll = 3;
      const run = scenario.start();
      await pendingKind(scenario, run.executionArn, 'operator');
      expect(scenario.endpoint()).toBe('pg-blue.internal');
      await answerWait(scenario.ports, { execution: run.executionArn, actor: 'erin', answer: 'restore' });
      const result = await run.result;
      expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverRestored' });
      expect(result.cause).toContain('database-switch: SwitchoverFailed: DB instance green is failed');
    });

    it('gives up on a switch that outlasts its limit, and waits for an operator', async () => {
      const scenario = new Scenario(fastPlan({ database: true }));
      scenario.database.switchingPolls = Number.POSITIVE_INFINITY;
      const run = scenario.start({ waitMs: (state) => (state === 'SwitchCompleteWait' ? 20 : 0) });
      await until(() => scenario.database.switchAttempts === 1);
      scenario.clockAheadMs = 61_000; // past the 60 s a subscription switch may take
      await pendingKind(scenario, run.executionArn, 'operator');
      const pending = (await scenario.control.get(run.executionArn)).pending;
      expect(JSON.stringify(pending?.detail)).toContain(
        'the switch did not finish within 60s (last status: switching)',
      );
      await answerWait(scenario.ports, { execution: run.executionArn, actor: 'erin', answer: 'restore' });
      expect((await run.result).error).toBe('CutoverRestored');
      expect(scenario.database.frozen).toBe(false);
    });
  });

  describe('after the point of no return', () => {
    it('waits for an operator instead of rolling back, and restores blue when told to', async () => {
      const scenario = new Scenario(fastPlan({ database: true }));
      scenario.database.failingSwitches = 1;
      const run = scenario.start();
      await pendingKind(scenario, run.executionArn, 'operator');
      expect(scenario.weights()).toEqual({ blue: 0, green: 100 });
      await answerWait(scenario.ports, { execution: run.executionArn, actor: 'erin', answer: 'restore' });
      const result = await run.result;
      expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverRestored' });
      expect(result.cause).toContain('database-switch: SwitchoverFailed');
      expect(scenario.weights()).toEqual({ blue: 100, green: 0 });
      expect(scenario.endpoint()).toBe('pg-blue.internal');
      expect(scenario.database.frozen).toBe(false);
      expect(scenario.journal.audit[0]).toMatchObject({ outcome: 'failed', phase: 'database-switch' });
      expectInvariants(scenario, result);
    });

    it('rolls forward when the operator says so, and completes', async () => {
      const scenario = new Scenario(fastPlan({ database: true }));
      scenario.database.failingSwitches = 1;
      const run = scenario.start();
      await pendingKind(scenario, run.executionArn, 'operator');
      await answerWait(scenario.ports, {
        execution: run.executionArn,
        actor: 'erin',
        answer: 'roll-forward',
      });
      expectCompleted(scenario, await run.result);
      expect(scenario.database.switchAttempts).toBe(2);
      expect(scenario.endpoint()).toBe('pg-green.internal');
    });

    it('asks again when nobody answers, then restores blue by default when the switch did not complete', async () => {
      const scenario = new Scenario(withOperatorTimeout('4s'));
      scenario.database.failingSwitches = 1;
      const result = await scenario.run();
      expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverRestored' });
      expect(result.cause).toBe(
        'database-switch: OperatorDidNotAnswer: no operator answered 4 times; the switch did not complete, ' +
          'so blue is restored (the failure: SwitchoverFailed: the subscription could not be disabled)',
      );
      const asks = scenario.journal.events.filter((event) => event.outcome === 'waiting_for_operator');
      expect(asks).toHaveLength(4);
      expect(scenario.endpoint()).toBe('pg-blue.internal');
      expect(scenario.weights()).toEqual({ blue: 100, green: 0 });
      expect(scenario.database.frozen).toBe(false);
      expectInvariants(scenario, result);
    });

    it('keeps green by default when the switch completed but its endpoint is not confirmed', async () => {
      const scenario = new Scenario(withOperatorTimeout('4s'));
      const unconfirmed = Array.from({ length: 20 }, () => namedError('NoSuchChange', 'change not found'));
      injectFailures(scenario.ports.traffic, 'isInSync', unconfirmed, () => scenario.database.switched);
      const result = await scenario.run();
      expect(result).toMatchObject({ status: 'FAILED', error: 'OperatorDidNotAnswer' });
      expect(result.cause).toContain('the switch completed, so green stays and blue stays read-only');
      expect(scenario.endpoint()).toBe('pg-green.internal');
      expect(scenario.database.frozen).toBe(true);
      expectInvariants(scenario, result);
    });

    it('reports a failed restore as such, not as an unanswered question', async () => {
      const scenario = new Scenario(fastPlan({ database: true }));
      scenario.database.failingSwitches = 1;
      scenario.database.failingUnfreezes = 10;
      const run = scenario.start();
      await pendingKind(scenario, run.executionArn, 'operator');
      await answerWait(scenario.ports, { execution: run.executionArn, actor: 'erin', answer: 'restore' });
      const result = await run.result;
      expect(result).toMatchObject({ status: 'FAILED', error: 'RestoreFailed' });
      expect(result.cause).toBe('database-restore: Error: connection to blue refused');
      expect(scenario.journal.audit[0]).toMatchObject({ outcome: 'failed', phase: 'database-restore' });
      expectInvariants(scenario, result);
    });

    it('treats the Rollback button as "restore"', async () => {
      const scenario = new Scenario(fastPlan({ database: true }));
      scenario.database.failingSwitches = 1;
      const run = scenario.start();
      await pendingKind(scenario, run.executionArn, 'operator');
      expect(
        await requestRollback(scenario.ports, {
          execution: run.executionArn,
          actor: 'erin',
          reason: 'give up',
        }),
      ).toBe('restore');
      expect((await run.result).error).toBe('CutoverRestored');
      expect(scenario.endpoint()).toBe('pg-blue.internal');
    });
  });
});
