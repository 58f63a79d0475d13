import type { LocalExecutionResult } from '../../local/workflow-runner';
import type { Scenario } from './workflow-harness';

/** The invariants every exit must keep, whatever happened on the way. */
export function expectInvariants(scenario: Scenario, result: LocalExecutionResult): void {
  for (const weights of scenario.weightHistory) expect(weights.blue + weights.green).toBe(100);
  expect(scenario.lockHolder()).toBeUndefined();
  expect(scenario.journal.audit).toHaveLength(1);
  expect(scenario.journal.audit[0]?.execution).toBe(result.executionArn);
  // The audit record tells the same story as the execution: completed exactly when it succeeded.
  expect(scenario.journal.audit[0]?.outcome === 'completed').toBe(result.status === 'SUCCEEDED');
}

/** Rolled back: blue serves 100 %, writes are unfrozen, the lock is free, the cause names phase and reason. */
export function expectRolledBack(
  scenario: Scenario,
  result: LocalExecutionResult,
  phase: string,
  error: string,
  cause?: string,
): void {
  expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverRolledBack' });
  expect(result.cause).toContain(`${phase}: ${error}`);
  if (cause) expect(result.cause).toContain(cause);
  expect(scenario.weights()).toEqual({ blue: 100, green: 0 });
  expect(scenario.database.frozen).toBe(false);
  expect(scenario.journal.audit[0]).toMatchObject({ outcome: 'rolled_back', phase });
  expectInvariants(scenario, result);
}

/** Stopped before traffic moved: nothing was shifted, the lock is free. */
export function expectStopped(
  scenario: Scenario,
  result: LocalExecutionResult,
  phase: string,
  error: string,
  cause: string,
): void {
  expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverStopped' });
  expect(result.cause).toContain(`${phase}: ${error}: ${cause}`);
  expect(scenario.weightHistory).toEqual([]);
  expect(scenario.journal.audit[0]).toMatchObject({ outcome: 'failed', phase });
  expectInvariants(scenario, result);
}

export function expectCompleted(scenario: Scenario, result: LocalExecutionResult): void {
  expect(result.status).toBe('SUCCEEDED');
  expect(scenario.weights()).toEqual({ blue: 0, green: 100 });
  expect(scenario.journal.audit[0]).toMatchObject({ outcome: 'completed' });
  expectInvariants(scenario, result);
}
