/** One probe's reading. `inconclusive` means "no evidence" (e.g. INSUFFICIENT_DATA): it never promotes. */
export type ProbeOutcome = 'healthy' | 'unhealthy' | 'inconclusive';

export interface HealthPolicy {
  /** Consecutive unhealthy rounds that fail the step. */
  readonly failureThreshold: number;
  /** Consecutive inconclusive rounds tolerated before asking for a decision. */
  readonly inconclusiveLimit: number;
}

export interface BakeCounters {
  readonly rounds: number;
  readonly consecutiveFailures: number;
  readonly consecutiveInconclusive: number;
}

export const NO_ROUNDS: BakeCounters = { rounds: 0, consecutiveFailures: 0, consecutiveInconclusive: 0 };

export type BakeVerdict =
  | { readonly kind: 'continue' }
  | { readonly kind: 'promote' }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'inconclusive'; readonly reason: string };

/** A round is as bad as its worst probe: any failure fails it; any missing evidence makes it inconclusive. */
export function combineOutcomes(outcomes: readonly ProbeOutcome[]): ProbeOutcome {
  if (outcomes.includes('unhealthy')) return 'unhealthy';
  if (outcomes.length === 0 || outcomes.includes('inconclusive')) return 'inconclusive';
  return 'healthy';
}

/**
 * Judges one round of probes during a bake. A step is promoted only by a healthy round once the bake
 * has run its course; failures and inconclusive rounds are counted while consecutive.
 */
export function judgeRound(
  counters: BakeCounters,
  outcome: ProbeOutcome,
  policy: HealthPolicy,
  bakeOver: boolean,
): { counters: BakeCounters; verdict: BakeVerdict } {
  const rounds = counters.rounds + 1;
  if (outcome === 'unhealthy') {
    const next = {
      rounds,
      consecutiveFailures: counters.consecutiveFailures + 1,
      consecutiveInconclusive: 0,
    };
    const failed = next.consecutiveFailures >= policy.failureThreshold;
    return {
      counters: next,
      verdict: failed
        ? {
            kind: 'failed',
            reason: `${next.consecutiveFailures} consecutive unhealthy rounds (threshold ${policy.failureThreshold})`,
          }
        : { kind: 'continue' },
    };
  }
  if (outcome === 'inconclusive') {
    const next = {
      rounds,
      consecutiveFailures: counters.consecutiveFailures,
      consecutiveInconclusive: counters.consecutiveInconclusive + 1,
    };
    const stuck = next.consecutiveInconclusive >= policy.inconclusiveLimit;
    return {
      counters: next,
      verdict: stuck
        ? {
            kind: 'inconclusive',
            reason: `${next.consecutiveInconclusive} consecutive inconclusive rounds (limit ${policy.inconclusiveLimit})`,
          }
        : { kind: 'continue' },
    };
  }
  return {
    counters: { rounds, consecutiveFailures: 0, consecutiveInconclusive: 0 },
    verdict: bakeOver ? { kind: 'promote' } : { kind: 'continue' },
  };
}
