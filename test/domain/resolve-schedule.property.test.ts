import fc from 'fast-check';
import { validatePlan } from '../../domain/plan/validate';
import type { PlanInput } from '../../domain/plan/schema';
import { resolveSchedule } from '../../domain/schedule/resolve';
import { examplePlan } from '../support/plans';

const stepsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 8 })
  .map((steps) => [...steps.sort((a, b) => a - b), 100]);

const strategyArb = fc.oneof(
  fc.record({ kind: fc.constant('canary' as const), canaryPercent: fc.integer({ min: 1, max: 99 }) }),
  fc.record({ kind: fc.constant('linear' as const), stepPercent: fc.integer({ min: 1, max: 50 }) }),
  fc.constant({ kind: 'all-at-once' as const }),
);

const planArb = fc
  .record({
    ttl: fc.integer({ min: 0, max: 300 }),
    intervalSeconds: fc.integer({ min: 1, max: 60 }),
    threshold: fc.integer({ min: 1, max: 10 }),
    extraBakeMinutes: fc.integer({ min: 0, max: 120 }),
    traffic: fc.oneof(
      stepsArb.map((steps) => ({ steps })),
      strategyArb.map((strategy) => ({ strategy })),
    ),
    database: fc.constantFrom('none', 'postgres-logical', 'rds-blue-green'),
    onHealthFailure: fc.constantFrom('rollback' as const, 'pause' as const),
  })
  .map((p): PlanInput => {
    const base = examplePlan('app-postgres-logical.yaml');
    const bake = Math.max(p.ttl, p.intervalSeconds * p.threshold) + p.extraBakeMinutes * 60;
    base.dns.records[0]!.ttl = p.ttl;
    base.health = { ...base.health, interval: `${p.intervalSeconds}s`, failureThreshold: p.threshold };
    base.traffic = { ...p.traffic, bake: `${bake}s`, onHealthFailure: p.onHealthFailure };
    if (p.database === 'none') base.database = { kind: 'none' };
    if (p.database === 'rds-blue-green')
      base.database = { kind: 'rds-blue-green', blueGreenDeploymentId: 'bgd-abc123', maxLag: '2s' };
    return base;
  });

describe('resolveSchedule, for any valid plan', () => {
  it('never sets both weights to 0, grows green’s share, ends at 100 % and keeps time moving forward', () => {
    fc.assert(
      fc.property(planArb, (input) => {
        const schedule = resolveSchedule(validatePlan(input).plan);
        const shares = schedule.steps.map((s) => s.greenPercent);
        for (const phase of schedule.phases)
          expect(phase.weights.blue + phase.weights.green).toBeGreaterThan(0);
        for (const step of schedule.steps) expect(step.weights.blue + step.weights.green).toBe(100);
        shares.forEach((share, i) => i > 0 && expect(share).toBeGreaterThan(shares[i - 1]!));
        expect(shares.at(-1)).toBe(100);
        schedule.phases.forEach((phase, i) => {
          const previous = schedule.phases[i - 1];
          if (!previous) return;
          expect(phase.greenPercent).toBeGreaterThanOrEqual(previous.greenPercent);
          expect(phase.cumulativeEarliestSeconds).toBeGreaterThan(previous.cumulativeEarliestSeconds);
          expect(phase.cumulativeWorstSeconds).toBeGreaterThan(previous.cumulativeWorstSeconds);
        });
        expect(schedule.worstCaseSeconds).toBeGreaterThanOrEqual(schedule.earliestSeconds);
      }),
      { numRuns: 300 },
    );
  });

  it('makes exactly the database switch the point of no return, and nothing before it irreversible', () => {
    fc.assert(
      fc.property(planArb, (input) => {
        const { phases } = resolveSchedule(validatePlan(input).plan);
        const pointOfNoReturn = phases.findIndex((p) => p.pointOfNoReturn);
        phases.forEach((phase, i) => {
          expect(phase.reversible).toBe(pointOfNoReturn < 0 || i < pointOfNoReturn);
        });
        expect(phases.filter((p) => p.pointOfNoReturn).length).toBe(input.database?.kind === 'none' ? 0 : 1);
      }),
      { numRuns: 200 },
    );
  });
});
