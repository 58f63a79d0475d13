import { durationSeconds } from '../../domain/duration';
import { databaseLimits } from '../../domain/plan/database-limits';
import { validatePlan } from '../../domain/plan/validate';
import { examplePlan } from '../support/plans';

describe('database limits', () => {
  it('reads logical replication limits in WAL bytes, with a small tolerance once writes are frozen', () => {
    expect(databaseLimits(validatePlan(examplePlan('app-postgres-logical.yaml')).plan)).toEqual({
      maxLag: 1_048_576,
      frozenLagTolerance: 65_536,
      catchUpTimeoutSeconds: 300,
      maxWriteFreezeSeconds: 10,
      switchWaitSeconds: 60,
    });
  });

  it('reads RDS Blue/Green limits in seconds, with no freeze of its own (RDS blocks writes itself), and polls the switchover past its own timeout', () => {
    expect(databaseLimits(validatePlan(examplePlan('app-rds-blue-green.yaml')).plan)).toEqual({
      maxLag: 2,
      frozenLagTolerance: 0,
      catchUpTimeoutSeconds: 300,
      maxWriteFreezeSeconds: 0,
      switchWaitSeconds: 300 + 300, // the plan's switchoverTimeout, then RDS's rollback
    });
  });

  it('has none for an app-only plan', () => {
    expect(databaseLimits(validatePlan(examplePlan('app-canary.yaml')).plan)).toBeUndefined();
  });

  it('refuses a duration that was never validated instead of guessing', () => {
    expect(() => durationSeconds('5 minutes')).toThrow('not a duration: "5 minutes"');
  });
});
