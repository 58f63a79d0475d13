import { validatePlan } from '../../domain/plan/validate';
import { resolveSchedule } from '../../domain/schedule/resolve';
import { examplePlan } from '../support/plans';

describe('resolveSchedule', () => {
  it('orders the phases of a cutover with a database switchover', () => {
    const schedule = resolveSchedule(validatePlan(examplePlan('app-postgres-logical.yaml')).plan);
    expect(schedule.phases.map((p) => p.id)).toEqual([
      'preflight',
      'deploy',
      'shift-1',
      'shift-2',
      'shift-3',
      'shift-4',
      'database-prepare',
      'database-switch',
      'finalize',
    ]);
    expect(schedule.steps.map((s) => s.greenPercent)).toEqual([1, 10, 50, 100]);
    expect(schedule.steps[1]).toEqual({
      index: 1,
      greenPercent: 10,
      weights: { blue: 90, green: 10 },
      bakeSeconds: 300,
      ttlSeconds: 30,
    });
  });

  it('marks the database switch as the point of no return and everything after it irreversible', () => {
    const { phases } = resolveSchedule(validatePlan(examplePlan('app-postgres-logical.yaml')).plan);
    const byId = Object.fromEntries(phases.map((p) => [p.id, p]));
    expect(byId['database-prepare']).toMatchObject({ reversible: true, pointOfNoReturn: false });
    expect(byId['database-switch']).toMatchObject({ reversible: false, pointOfNoReturn: true });
    expect(byId['finalize']).toMatchObject({ reversible: false, pointOfNoReturn: false });
    expect(byId['database-switch']!.onFailure).toMatch(/pause for an operator/);
    expect(byId['shift-2']!.onFailure).toMatch(/weights to blue 100 %/);
  });

  it('times a shift step as INSYNC + TTL + bake, plus the decision timeout at worst when the plan pauses', () => {
    const { phases } = resolveSchedule(validatePlan(examplePlan('app-postgres-logical.yaml')).plan);
    const shift = phases.find((p) => p.id === 'shift-1')!;
    expect(shift.earliestSeconds).toBe(10 + 30 + 300);
    expect(shift.worstSeconds).toBe(60 + 30 + 300 + 20 * 60);
  });

  it('has no database phases and nothing irreversible for an app-only plan', () => {
    const { phases, steps } = resolveSchedule(validatePlan(examplePlan('app-canary.yaml')).plan);
    expect(steps.map((s) => s.greenPercent)).toEqual([5, 100]);
    expect(phases.some((p) => p.kind.startsWith('database'))).toBe(false);
    expect(phases.every((p) => p.reversible)).toBe(true);
    expect(phases.find((p) => p.id === 'deploy')!.worstSeconds).toBe(30 * 60);
  });

  it('bounds the RDS switchover by the plan’s switchover timeout', () => {
    const { phases } = resolveSchedule(validatePlan(examplePlan('app-rds-blue-green.yaml')).plan);
    expect(phases.find((p) => p.id === 'database-switch')!.worstSeconds).toBe(300);
  });
});
