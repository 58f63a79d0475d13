import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import type { ConnectionInfo } from '../postgres-pair';
import type { SampleAppStats } from './protocol';
import { isSwitchoverError } from './switchover-errors';
import { WriteStalls } from './write-stalls';

export interface RetryingDatabaseOptions<P> {
  readonly resolver: {
    current(): Promise<ConnectionInfo>;
    invalidate(): void;
    /** Lets a backoff end early when the name points elsewhere. */
    whenChanged?(): { promise: Promise<void>; cancel(): void };
  };
  readonly pools: {
    for(target: ConnectionInfo): P;
  };
  /** @default 5000 */
  readonly retryBudgetMs?: number;
  /** @default 10 */
  readonly firstBackoffMs?: number;
  /** @default 200 */
  readonly maxBackoffMs?: number;
  /** @default performance.now */
  readonly now?: () => number;
  /** Epoch ms, to place write stalls in time. @default Date.now */
  readonly wallClock?: () => number;
  /** @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The database stayed unreachable or read-only for the whole retry budget. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/**
 * Runs queries against whatever database the name currently resolves to, and rides out a switchover:
 * on a read-only or connection error it looks the name up again (the resolver retires the old pool
 * once the name points elsewhere) and retries with backoff until the budget runs out.
 */
export class RetryingDatabase<P = Pool> {
  private readonly retryBudgetMs: number;
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly counters = { writes: 0, reads: 0, retries: 0 };
  private readonly stalls: WriteStalls;

  constructor(private readonly options: RetryingDatabaseOptions<P>) {
    this.retryBudgetMs = options.retryBudgetMs ?? 5000;
    this.firstBackoffMs = options.firstBackoffMs ?? 10;
    this.maxBackoffMs = options.maxBackoffMs ?? 200;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.stalls = new WriteStalls(this.now, options.wallClock);
  }

  /**
   * A write retried after a connection error may have committed already (the answer was lost): this
   * sample accepts the rare duplicate row, as most applications without idempotency keys do.
   */
  write<T>(work: (pool: P) => Promise<T>): Promise<T> {
    return this.run('write', work);
  }

  read<T>(work: (pool: P) => Promise<T>): Promise<T> {
    return this.run('read', work);
  }

  stats(): SampleAppStats {
    return {
      longestWriteStallMs: this.stalls.longestMs(),
      writeStalls: this.stalls.list(),
      ...this.counters,
    };
  }

  private async run<T>(kind: 'write' | 'read', work: (pool: P) => Promise<T>): Promise<T> {
    const startedAt = this.now();
    let backoffMs = this.firstBackoffMs;
    let retried = false;
    for (;;) {
      let target: ConnectionInfo | undefined;
      try {
        target = await this.options.resolver.current();
        const result = await work(this.options.pools.for(target));
        if (kind === 'write') {
          this.stalls.succeeded(startedAt, retried);
          this.counters.writes += 1;
        } else this.counters.reads += 1;
        return result;
      } catch (error) {
        // A failed lookup (target still undefined) is as transient as a failed database.
        if (target !== undefined && !isSwitchoverError(error)) throw error;
        if (kind === 'write') this.stalls.blocked(startedAt);
        this.options.resolver.invalidate();
        if (this.now() + backoffMs - startedAt > this.retryBudgetMs) {
          throw new DatabaseUnavailableError(
            `the database stayed unavailable for ${this.retryBudgetMs} ms: ${describe(error)}`,
            { cause: error },
          );
        }
        retried = true;
        this.counters.retries += 1;
        const change = this.options.resolver.whenChanged?.();
        try {
          await Promise.race(change ? [this.sleep(backoffMs), change.promise] : [this.sleep(backoffMs)]);
        } finally {
          change?.cancel();
        }
        backoffMs = Math.min(backoffMs * 2, this.maxBackoffMs);
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
