import { escapeIdentifier } from 'pg';
import { runSql } from '../run-sql';
import { durationSeconds } from '../../domain/duration';
import type { Plan } from '../../domain/plan/schema';
import type { ShiftStep } from '../../domain/schedule/schedule';
import type { Weights } from '../../domain/traffic/weights';
import { crashStates, faultNumber, type Fault } from './faults';
import { replicationNames, type LocalPlatform } from './local-platform';

export interface FaultHooks {
  /** Runs once before the cutover starts (e.g. drift a row on green). */
  beforeRun(): Promise<void>;
  /** Called after every weight change the workflow makes. */
  onWeights(weights: Weights): Promise<void>;
  readonly crashOnce: readonly string[];
  readonly throttles: number;
  /** When the first fault hit the platform (ms since epoch), if one did. */
  injectedAt(): number | undefined;
}

/** Turns the requested faults into hooks on the local platform. */
export function faultHooks(
  faults: readonly Fault[],
  plan: Plan,
  steps: readonly ShiftStep[],
  platform: LocalPlatform,
): FaultHooks {
  let injectedAt: number | undefined;
  const mark = () => (injectedAt ??= Date.now());
  const stepPercent = (n: number) => steps[Math.min(Math.max(n, 1), steps.length) - 1]!.greenPercent;
  const onWeights: ((weights: Weights) => Promise<void>)[] = [];
  const beforeRun: (() => Promise<void>)[] = [];

  for (const fault of faults) {
    switch (fault.name) {
      case 'green-unhealthy': {
        const at = stepPercent(faultNumber(fault, 2));
        onWeights.push(async (w) => {
          if (w.green !== at) return;
          await platform.apps.green.setFault({ failing: true });
          mark();
        });
        break;
      }
      case 'green-slow': {
        const at = stepPercent(2);
        const budgetMs = Math.max(
          ...plan.health.probes.map((p) =>
            p.kind === 'http' ? durationSeconds(p.latencyBudget) * 1000 : 1000,
          ),
        );
        onWeights.push(async (w) => {
          if (w.green !== at) return;
          await platform.apps.green.setFault({ extraLatencyMs: budgetMs + faultNumber(fault, 2000) });
          mark();
        });
        break;
      }
      case 'replication-stalled':
        onWeights.push(async (w) => {
          if (w.green !== 100) return;
          const { subscription } = replicationNames(plan);
          await runSql(
            platform.databases.green,
            `ALTER SUBSCRIPTION ${escapeIdentifier(subscription)} DISABLE`,
          );
          mark();
        });
        break;
      case 'data-drift':
        beforeRun.push(async () => {
          await runSql(platform.databases.green, `UPDATE orders SET quantity = quantity + 1000 WHERE id = 1`);
          mark();
        });
        break;
      case 'green-fails-to-start':
        beforeRun.push(async () => {
          platform.apps.green.failStarts('fault injected: green-fails-to-start (the image exits at start)');
          mark();
        });
        break;
      case 'step-crash':
      case 'router-throttled':
        break;
    }
  }
  return {
    beforeRun: async () => {
      for (const hook of beforeRun) await hook();
    },
    onWeights: async (weights) => {
      for (const hook of onWeights) await hook(weights);
    },
    crashOnce: crashStates(faults),
    throttles: faults
      .filter((f) => f.name === 'router-throttled')
      .reduce((sum, f) => sum + faultNumber(f, 3), 0),
    injectedAt: () => injectedAt,
  };
}
