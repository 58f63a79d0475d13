import type { ConnectionInfo } from '../postgres-pair';

export interface DatabaseResolverOptions {
  /** Looks the database name up (the parent's `resolveDatabase`). */
  readonly resolve: () => Promise<ConnectionInfo>;
  /** How long an answer is used without asking again, like a CNAME's TTL. */
  readonly ttlMs: number;
  /**
   * After a failure the cached answer is ignored, but the name is asked at most this often.
   * @default 50
   */
  readonly minRefreshMs?: number;
  /**
   * Called when the name resolves to a different database than before, e.g. to close the old pool.
   * @default - nothing
   */
  readonly onChange?: (previous: ConnectionInfo, next: ConnectionInfo) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/** After the last failure, how long the name is still watched for a change. */
const WATCH_AFTER_FAILURE_MS = 1000;

/**
 * The app's view of its database name: cached for a TTL, looked up again early after a failure. While
 * queries fail it also watches the name (every `minRefreshMs`), so that queries waiting out a backoff
 * can retry the moment it points to another database.
 */
export class DatabaseResolver {
  private readonly minRefreshMs: number;
  private readonly now: () => number;
  private readonly waiting = new Set<() => void>();
  private cached: { readonly connection: ConnectionInfo; readonly at: number } | undefined;
  private stale = false;
  private pending: Promise<ConnectionInfo> | undefined;
  private watch: ReturnType<typeof setInterval> | undefined;
  private watchTicksLeft = 0;

  constructor(private readonly options: DatabaseResolverOptions) {
    this.minRefreshMs = options.minRefreshMs ?? 50;
    this.now = options.now ?? Date.now;
  }

  current(): Promise<ConnectionInfo> {
    const cached = this.cached;
    if (cached) {
      const age = this.now() - cached.at;
      const fresh = this.stale ? age < this.minRefreshMs : age < this.options.ttlMs;
      if (fresh) return Promise.resolve(cached.connection);
    }
    return this.lookUp();
  }

  /** The database behind the cached answer failed: look the name up again on next use, and watch it. */
  invalidate(): void {
    this.stale = true;
    this.watchTicksLeft = Math.ceil(WATCH_AFTER_FAILURE_MS / this.minRefreshMs);
    if (this.watch) return;
    this.watch = setInterval(() => {
      if (this.watchTicksLeft-- <= 0) this.stopWatching();
      else this.lookUp().catch(() => undefined);
    }, this.minRefreshMs);
    this.watch.unref();
  }

  /** Settles when the name next points to another database; `cancel` stops waiting. */
  whenChanged(): { promise: Promise<void>; cancel(): void } {
    let wake = (): void => undefined;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
      this.waiting.add(wake);
    });
    return { promise, cancel: () => this.waiting.delete(wake) };
  }

  private lookUp(): Promise<ConnectionInfo> {
    // Concurrent queries (and the watch) share one lookup.
    this.pending ??= this.options
      .resolve()
      .then((connection) => {
        const previous = this.cached?.connection;
        this.cached = { connection, at: this.now() };
        this.stale = false;
        if (previous && !sameDatabase(previous, connection)) this.changed(previous, connection);
        return connection;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private changed(previous: ConnectionInfo, next: ConnectionInfo): void {
    this.stopWatching();
    this.options.onChange?.(previous, next);
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const wake of waiting) wake();
  }

  private stopWatching(): void {
    clearInterval(this.watch);
    this.watch = undefined;
  }
}

function sameDatabase(a: ConnectionInfo, b: ConnectionInfo): boolean {
  return a.host === b.host && a.port === b.port && a.database === b.database && a.user === b.user;
}
