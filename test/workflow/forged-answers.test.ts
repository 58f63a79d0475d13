import { ErrorNames } from '../../domain/errors';
import { NO_ROUNDS } from '../../domain/health/verdict';
import { answerWait } from '../../operations/answer-wait';
import type { PendingWait } from '../../ports/control-signals';
import { expectRolledBack } from '../support/workflow-expectations';
import { fastPlan, Scenario, until, withApproval, workflowDefinition } from '../support/workflow-harness';

beforeAll(() => workflowDefinition());

async function pending(scenario: Scenario, executionArn: string, kind: string): Promise<PendingWait> {
  await until(async () => (await scenario.control.get(executionArn)).pending?.kind === kind);
  return (await scenario.control.get(executionArn)).pending!;
}

/** A bake's record, ready to promote at once: what the watcher would find for a finished, healthy bake. */
function ripeBake(): Record<string, unknown> {
  const past = new Date(Date.now() - 60_000).toISOString();
  return {
    health: { probes: [], intervalSeconds: 1, failureThreshold: 1, inconclusiveLimit: 1 },
    stepIndex: 3,
    greenPercent: 100,
    tickets: [],
    holdSeconds: 0,
    inSyncAt: past,
    nextProbeAt: past,
    counters: NO_ROUNDS,
  };
}

describe('cutover workflow: each wait accepts only an answer of its own kind', () => {
  it('refuses an approval relabelled as a bake and "promoted" by the health watcher: rolls back, never switches', async () => {
    const scenario = withApproval();
    const run = scenario.start();
    const approval = await pending(scenario, run.executionArn, 'approval');
    // The attack: anyone who may write the control record turns the approval into a bake; the watcher,
    // which may answer any task token, then promotes it.
    await scenario.control.setPending(run.executionArn, { ...approval, kind: 'bake', detail: ripeBake() });
    const result = await run.result;
    expectRolledBack(
      scenario,
      result,
      'database-prepare',
      ErrorNames.ForgedAnswer,
      'the AwaitApproval wait (approval) was answered with an answer of another kind',
    );
    expect(scenario.database.switched).toBe(false);
  });

  it('refuses a bake relabelled as an approval and approved by an operator: rolls back', async () => {
    const plan = fastPlan();
    plan.traffic.bake = '5s';
    const scenario = new Scenario(plan);
    const run = scenario.start();
    const bake = await pending(scenario, run.executionArn, 'bake');
    await scenario.control.setPending(run.executionArn, { ...bake, kind: 'approval' });
    await answerWait(scenario.ports, { execution: run.executionArn, actor: 'mallory', answer: 'approve' });
    const result = await run.result;
    expectRolledBack(
      scenario,
      result,
      'shift',
      ErrorNames.ForgedAnswer,
      'the Bake wait (bake) was answered with an answer of another kind',
    );
  });
});
