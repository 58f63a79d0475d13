import type { ConnectionInfo } from '../postgres-pair';

export type Side = 'blue' | 'green';

export interface SampleAppFault {
  /** Every route answers 500 (the health check included). */
  readonly failing?: boolean;
  /** Added before every response. */
  readonly extraLatencyMs?: number;
}

/** A time writes were blocked (see write-stalls.ts). */
export interface WriteStall {
  /** Epoch ms. */
  readonly startedAt: number;
  readonly ms: number;
  /** Still blocked when the stats were taken. */
  readonly ongoing?: boolean;
}

export interface SampleAppStats {
  /** The longest time writes were blocked, in ms: from a write refused to the next one that succeeded. */
  readonly longestWriteStallMs: number;
  readonly writeStalls: readonly WriteStall[];
  /** Writes and reads answered from the database (not counting 4xx/5xx). */
  readonly writes: number;
  readonly reads: number;
  /** Queries attempted again after a switchover error. */
  readonly retries: number;
}

/** Messages the parent sends to the app process. */
export type ToApp =
  | {
      readonly type: 'start';
      readonly side: Side;
      readonly databaseTtlMs: number;
      readonly maxConnections: number;
      /** 0: any free port. */
      readonly port: number;
      readonly revision?: string;
      /** The process exits at once with this message instead of serving (a task that fails to start). */
      readonly exitAtStart?: string;
    }
  | { readonly type: 'resolved'; readonly id: number; readonly connection: ConnectionInfo }
  | { readonly type: 'resolve-failed'; readonly id: number; readonly message: string }
  | { readonly type: 'set-fault'; readonly id: number; readonly fault: SampleAppFault }
  | { readonly type: 'stats'; readonly id: number };

/** Messages the app process sends to the parent. */
export type FromApp =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'resolve'; readonly id: number }
  | { readonly type: 'fault-set'; readonly id: number }
  | { readonly type: 'stats'; readonly id: number; readonly stats: SampleAppStats };
