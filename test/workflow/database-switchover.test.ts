import { ErrorNames } from '../../domain/errors';
import { answerWait } from '../../operations/answer-wait';
import { requestRollback } from '../../operations/request-rollback';
import { expectCompleted, expectInvariants, expectRolledBack } from '../support/workflow-expectations';
import { fastPlan, Scenario, until, withApproval, workflowDefinition } from '../support/workflow-harness';

beforeAll(() => workflowDefinition());

const lagging = { amount: 50_000, unit: 'bytes', streaming: true } as const;
const caughtUp = { amount: 0, unit: 'bytes', streaming: true } as const;

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
  });

  it('rolls back and unfreezes when green’s data differs from blue’s', async () => {
    const scenario = new Scenario(fastPlan({ database: true }));
    scenario.database.mismatchedChunks = ['orders[1..10000]'];
    const result = await scenario.run();
    expectRolledBack(scenario, result, 'database-prepare', ErrorNames.VerificationFailed, 'orders[1..10000]');
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
