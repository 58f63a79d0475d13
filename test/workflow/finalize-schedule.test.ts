import type { ExecutionContext } from '../../domain/context/execution-context';
import type { PlanInput } from '../../domain/plan/schema';
import type { FinalizeSchedule } from '../../ports/finalize-schedule';
import { expectCompleted } from '../support/workflow-expectations';
import { fastPlan, Scenario, workflowDefinition } from '../support/workflow-harness';

beforeAll(() => workflowDefinition());

/** The schedules record-outcome asked for, as the EventBridge Scheduler adapter would receive them. */
function recordingSchedule(scenario: Scenario): { context: ExecutionContext; at: Date }[] {
  const scheduled: { context: ExecutionContext; at: Date }[] = [];
  const schedule: FinalizeSchedule = {
    schedule: async (context, at) => {
      scheduled.push({ context, at });
    },
  };
  Object.assign(scenario.ports, { finalizeSchedule: schedule });
  return scheduled;
}

function keepingBlueFor(keepBlueFor: string): PlanInput {
  return { ...fastPlan({ database: true }), finalize: { keepBlueFor } };
}

describe('cutover workflow: the finalize scheduled when blue’s retention ends', () => {
  it('is scheduled once a logical-replication cutover completes, for when keepBlueFor ends, with the context', async () => {
    const scenario = new Scenario(keepingBlueFor('2h'), 'finalize-completed');
    const scheduled = recordingSchedule(scenario);
    const before = Date.now();
    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(scheduled).toHaveLength(1);
    const [{ context, at }] = scheduled as [{ context: ExecutionContext; at: Date }];
    expect(context).toMatchObject({ execution: result.executionArn, keepBlueSeconds: 7200 });
    expect(context.database).toMatchObject({ kind: 'postgres-logical', subscription: 'cutover' });
    expect(at.getTime()).toBeGreaterThanOrEqual(before + 7200_000);
    expect(at.getTime()).toBeLessThanOrEqual(Date.now() + 7200_000);
  });

  it('is scheduled at least a minute ahead when blue is not kept at all', async () => {
    const scenario = new Scenario(keepingBlueFor('0s'), 'finalize-at-once');
    const scheduled = recordingSchedule(scenario);
    const before = Date.now();
    expectCompleted(scenario, await scenario.run());
    expect(scheduled[0]!.at.getTime()).toBeGreaterThanOrEqual(before + 60_000);
  });

  it('is not scheduled when the cutover rolls back: replication still feeds green for the next attempt', async () => {
    const scenario = new Scenario(keepingBlueFor('2h'), 'finalize-rolled-back');
    scenario.database.differences = ['orders[42]'];
    const scheduled = recordingSchedule(scenario);
    const result = await scenario.run();
    expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverRolledBack' });
    expect(scheduled).toEqual([]);
  });

  it('is not scheduled for a cutover without a database', async () => {
    const scenario = new Scenario(fastPlan(), 'finalize-no-database');
    const scheduled = recordingSchedule(scenario);
    expectCompleted(scenario, await scenario.run());
    expect(scheduled).toEqual([]);
  });
});
