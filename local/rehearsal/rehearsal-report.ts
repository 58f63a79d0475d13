import { durationSeconds } from '../../domain/duration';
import type { Plan } from '../../domain/plan/schema';
import type { CutoverOutcome } from '../../domain/progress/outcome';
import type { DnsTiming } from './dns-timing';

/** The rehearsal report: a JSON contract that tests and tools rely on. */
export interface RehearsalReport {
  readonly plan: string;
  readonly outcome: CutoverOutcome;
  readonly cause: string | null;
  readonly finalWeights: { readonly blue: number; readonly green: number };
  readonly requests: {
    readonly total: number;
    readonly failed: number;
    readonly byTarget: {
      readonly blue: { total: number; failed: number };
      readonly green: { total: number; failed: number };
    };
  };
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** p99 before the cutover started and while it ran, for the "no worse than 2×" check. */
  readonly p99BeforeMs: number;
  readonly p99DuringMs: number;
  /**
   * Longest time writes were blocked: from the first write that hit the freeze (or the old database
   * after the switch) to the next write that succeeded, failed and timed-out writes in between included.
   */
  readonly writeStallMs: number;
  /** The longest write stall the plan allows (its `maxWriteFreeze`), in ms. */
  readonly maxWriteStallMs: number;
  /** No failed request, and no write stall longer than `maxWriteStallMs`. */
  readonly zeroDowntime: boolean;
  readonly rollback: { readonly reason: string; readonly seconds: number } | null;
  readonly phases: readonly { readonly name: string; readonly startedAt: string; readonly endedAt: string }[];
  readonly transitions: number;
  /** `chunks`: how many chunks the verification before the freeze compared. */
  readonly dataCheck: {
    readonly tables: number;
    readonly rowsCompared: number;
    readonly chunks: number;
    readonly mismatches: number;
  };
  /** Green's deployments, oldest first: with `deploy: ecs`, the ones the cutover's deploy step made. */
  readonly greenDeployments: readonly {
    readonly taskDefinition: string;
    readonly image: string;
    readonly state: string;
    readonly reason: string | null;
    readonly startedAt: string;
  }[];
  readonly faults: readonly string[];
  readonly timeScale: number;
  /** How DNS behaved: at the rehearsal's pace, or the endpoint's switch as on AWS (`--real-dns-timing`). */
  readonly dns: DnsTiming & { readonly mode: 'scaled' | 'aws' };
  readonly ratePerSecond: number;
  /** Requests sent per second while the load ran (the load starts before the cutover, ends after it). */
  readonly achievedRatePerSecond: number;
  readonly durationSeconds: number;
}

/** What `cutover rehearse` exits with (2, invalid input, is the CLI's). */
export const RehearsalExit = { zeroDowntime: 0, rolledBackOrFailed: 1, notZeroDowntime: 3 } as const;

/** completed with zero downtime → 0; rolled back or failed → 1; completed with downtime → 3. */
export function exitCodeOf(report: Pick<RehearsalReport, 'outcome' | 'zeroDowntime'>): number {
  if (report.outcome !== 'completed') return RehearsalExit.rolledBackOrFailed;
  return report.zeroDowntime ? RehearsalExit.zeroDowntime : RehearsalExit.notZeroDowntime;
}

/**
 * The longest write stall a plan allows, in ms: its `maxWriteFreeze`; for RDS Blue/Green, which blocks
 * writes itself during its switchover, the switchover timeout; none without a database.
 */
export function maxWriteStallMs(plan: Plan): number {
  const db = plan.database;
  switch (db.kind) {
    case 'none':
      return 0;
    case 'rds-blue-green':
      return durationSeconds(db.switchoverTimeout) * 1000;
    default:
      return durationSeconds(db.maxWriteFreeze) * 1000;
  }
}

/** Zero downtime: not one failed request, and writes never blocked for longer than the plan allows. */
export function isZeroDowntime(failedRequests: number, writeStallMs: number, maxStallMs: number): boolean {
  return failedRequests === 0 && writeStallMs <= maxStallMs;
}
