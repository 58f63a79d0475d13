import type { CutoverOutcome } from '../../domain/progress/outcome';

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
  /** Longest time a write was blocked (retrying through the write freeze and the endpoint switch). */
  readonly writeStallMs: number;
  readonly rollback: { readonly reason: string; readonly seconds: number } | null;
  readonly phases: readonly { readonly name: string; readonly startedAt: string; readonly endedAt: string }[];
  readonly transitions: number;
  readonly dataCheck: { readonly tables: number; readonly rowsCompared: number; readonly mismatches: number };
  readonly faults: readonly string[];
  readonly timeScale: number;
  readonly ratePerSecond: number;
  /** Requests sent per second while the load ran (the load starts before the cutover, ends after it). */
  readonly achievedRatePerSecond: number;
  readonly durationSeconds: number;
}

/** completed → 0; rolled back or failed → 1. */
export function exitCodeOf(report: RehearsalReport): number {
  return report.outcome === 'completed' ? 0 : 1;
}
