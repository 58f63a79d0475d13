import type { LatencySummary, Target } from './load-types';

export type Outcome = 'ok' | 'error' | 'timeout';

const OUTCOMES: readonly Outcome[] = ['ok', 'error', 'timeout'];
const PENDING = 0;
const TARGETS: readonly Target[] = ['blue', 'green'];

export const NO_LATENCY: LatencySummary = { p50: 0, p99: 0, max: 0, count: 0 };

/**
 * Every request of a run in preallocated typed arrays (send time, latency, target, outcome), so a long
 * run at a high rate costs a fixed few bytes per request and no garbage. Requests are recorded in send
 * order, so send times are sorted and a time range is found by binary search.
 */
export class RequestLog {
  private readonly sentAtMs: Float64Array;
  private readonly latencyMs: Float64Array;
  private readonly targets: Uint8Array;
  private readonly outcomes: Uint8Array;
  private count = 0;
  private failedCount = 0;

  constructor(readonly capacity: number) {
    this.sentAtMs = new Float64Array(capacity);
    this.latencyMs = new Float64Array(capacity);
    this.targets = new Uint8Array(capacity);
    this.outcomes = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get failed(): number {
    return this.failedCount;
  }

  /** Records a request being sent and returns its index. */
  sent(atMs: number, target: Target): number {
    if (this.count >= this.capacity) throw new Error(`the request log is full (${this.capacity} requests)`);
    const index = this.count++;
    this.sentAtMs[index] = atMs;
    this.targets[index] = TARGETS.indexOf(target);
    return index;
  }

  finished(index: number, outcome: Outcome, latencyMs: number): void {
    this.outcomes[index] = OUTCOMES.indexOf(outcome) + 1;
    this.latencyMs[index] = latencyMs;
    if (outcome !== 'ok') this.failedCount += 1;
  }

  target(index: number): Target {
    return TARGETS[this.targets[index] ?? 0] ?? 'blue';
  }

  /** `undefined` while the request is in flight. */
  outcome(index: number): Outcome | undefined {
    const code = this.outcomes[index] ?? PENDING;
    return code === PENDING ? undefined : OUTCOMES[code - 1];
  }

  /** Indexes of the requests sent in [fromMs, toMs), as [first, end); empty when toMs <= fromMs. */
  range(fromMs: number, toMs: number): [number, number] {
    const first = this.firstSentAtOrAfter(fromMs);
    return [first, Math.max(first, this.firstSentAtOrAfter(toMs))];
  }

  /** Latency percentiles of the answered requests among those sent in [fromMs, toMs). */
  latencyBetween(fromMs: number, toMs: number): LatencySummary {
    const [first, end] = this.range(fromMs, toMs);
    const latencies = new Float64Array(end - first);
    let measured = 0;
    for (let index = first; index < end; index += 1) {
      if (this.outcomes[index] !== PENDING) latencies[measured++] = this.latencyMs[index] ?? 0;
    }
    if (measured === 0) return NO_LATENCY;
    const sorted = latencies.subarray(0, measured).sort();
    return {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted[measured - 1] ?? 0,
      count: measured,
    };
  }

  private firstSentAtOrAfter(ms: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.sentAtMs[middle] ?? 0) < ms) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] ?? 0;
}
