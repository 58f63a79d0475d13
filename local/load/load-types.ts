export type Target = 'blue' | 'green';

export interface TargetCounts {
  readonly total: number;
  /** Errors and timeouts. */
  readonly failed: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Requests measured; the percentiles are 0 when there are none. */
  readonly count: number;
}

/** One time bucket, by the time requests were sent. */
export interface LoadBucket {
  /** Start of the bucket, in ms since the load started. */
  readonly atMs: number;
  /** The bucket's width: the bucket size, except for a last bucket cut short when the load stopped. */
  readonly spanMs: number;
  readonly sent: number;
  readonly failed: number;
  /** Requests sent to each side. */
  readonly byTarget: { readonly blue: number; readonly green: number };
  readonly p99Ms: number;
}

/** One failed request, kept to explain a failure count. */
export interface FailureSample {
  readonly atMs: number;
  readonly target: Target;
  readonly kind: 'error' | 'timeout';
  /** `POST /orders: HTTP 503`, or the network error. */
  readonly detail: string;
}

export interface LoadResult {
  readonly requests: {
    readonly total: number;
    /** Errors and timeouts. */
    readonly failed: number;
    readonly timeouts: number;
    readonly byTarget: { readonly blue: TargetCounts; readonly green: TargetCounts };
  };
  /** Over every request, failed ones included (a timeout counts as its wait). */
  readonly latencyMs: LatencySummary;
  readonly series: readonly LoadBucket[];
  /** Epoch ms when the first request was sent; every other time is relative to it. */
  readonly startedAt: number;
  /** How long requests were being sent. */
  readonly durationMs: number;
  /** The first few failures. */
  readonly failures: readonly FailureSample[];
}

export interface LiveLoad {
  /** Requests sent during the last second. */
  readonly rps: number;
  readonly total: number;
  readonly failed: number;
  /** Over the requests sent during the last 2 s that have been answered. */
  readonly p99Ms: number;
}
