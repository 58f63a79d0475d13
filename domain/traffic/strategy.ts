import type { Plan } from '../plan/schema';

/** The green percentages a plan's traffic section shifts through, ending at 100. */
export function expandSteps(traffic: Plan['traffic']): number[] {
  if (traffic.steps) return [...traffic.steps];
  const strategy = traffic.strategy ?? { kind: 'all-at-once' };
  switch (strategy.kind) {
    case 'all-at-once':
      return [100];
    case 'canary':
      return [strategy.canaryPercent, 100];
    case 'linear': {
      const steps: number[] = [];
      for (let p = strategy.stepPercent; p < 100; p += strategy.stepPercent) steps.push(p);
      return [...steps, 100];
    }
  }
}
