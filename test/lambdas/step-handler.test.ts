import { LocalTaskCallbacks } from '../../adapters/local/local-task-callbacks';
import { MemoryControlSignals } from '../../adapters/local/memory-control-signals';
import { ErrorNames } from '../../domain/errors';
import { stepHandler } from '../../lambdas/step-handler';
import { STEPS } from '../../workflow/registry';
import type { Ports } from '../../workflow/ports';
import { contextOf } from '../support/plans';
import { fastPlan } from '../support/workflow-harness';

const context = {
  getRemainingTimeInMillis: () => 60_000,
  functionName: 'cutover-test',
  awsRequestId: 'r-1',
} as never;

function portsWithRollback(): Ports {
  const control = new MemoryControlSignals();
  void control.requestRollback('exec-1', {
    actor: 'alice',
    reason: 'stop',
    requestedAt: '2026-11-26T00:00:00Z',
  });
  return { control, callbacks: new LocalTaskCallbacks() } as unknown as Ports;
}

describe('stepHandler', () => {
  it('returns the step’s small JSON result', async () => {
    const handler = stepHandler(STEPS['validate-plan'], async () => ({}) as Ports);
    const output = (await handler({ plan: fastPlan(), execution: 'exec-1' }, context)) as {
      version: number;
      execution: string;
      stepCount: number;
      flags: object;
    };
    expect(output).toMatchObject({ version: 1, execution: 'exec-1', stepCount: 3 });
    expect(output.flags).toEqual({
      deploy: 'none',
      database: 'none',
      approval: false,
      pauseOnHealthFailure: false,
      pauseOnInconclusive: true,
    });
    expect(JSON.stringify(output).length).toBeLessThan(256 * 1024);
  });

  it('keeps the error name the state machine routes on', async () => {
    const handler = stepHandler(STEPS['set-weights'], async () => portsWithRollback());
    const step = {
      index: 0,
      greenPercent: 10,
      weights: { blue: 90, green: 10 },
      bakeSeconds: 1,
      ttlSeconds: 0,
    };
    await expect(handler({ context: contextOf(fastPlan()), step }, context)).rejects.toMatchObject({
      name: ErrorNames.OperatorRollback,
      message: 'rollback requested by alice: stop',
    });
  });

  it('fails with PlanInvalid when the plan it is given is not valid', async () => {
    const handler = stepHandler(STEPS['validate-plan'], async () => ({}) as Ports);
    await expect(
      handler({ plan: { ...fastPlan(), traffic: { steps: [50, 10] } }, execution: 'exec-1' }, context),
    ).rejects.toMatchObject({
      name: ErrorNames.PlanInvalid,
    });
  });

  it('refuses a plan where a step expects the resolved context', async () => {
    const handler = stepHandler(STEPS['release-lock'], async () => ({}) as Ports);
    await expect(handler({ plan: fastPlan(), execution: 'exec-1' }, context)).rejects.toThrow(
      'expected the execution context (version 1) that validate-plan returns',
    );
  });

  it('refuses a context of another version', async () => {
    const handler = stepHandler(STEPS['release-lock'], async () => ({}) as Ports);
    const stale = { ...contextOf(fastPlan()), version: 0 };
    await expect(handler({ context: stale }, context)).rejects.toThrow('execution context (version 1)');
  });

  it('rejects input that is not a step input', async () => {
    const handler = stepHandler(STEPS['check-in-sync'], async () => ({}) as Ports);
    await expect(handler({ execution: 'exec-1', tickets: 'not-a-list' }, context)).rejects.toMatchObject({
      name: 'StepInputInvalid',
      message: 'tickets: expected a list, got "not-a-list"',
    });
  });
});
