import type { WriteStall } from './protocol';

/** Enough for every switchover of a rehearsal; later windows still count in the longest. */
const MAX_WINDOWS = 100;

interface Window {
  /** Monotonic ms. */
  readonly from: number;
  readonly to: number;
}

/**
 * The windows in which writes were blocked, each from the start of the first write that hit the write
 * freeze (or the old database after the switch) to the next write that succeeded. A window spans every
 * write that gave up or timed out in between: it is what a user of the app sees, however the app's
 * retry budget or the client's timeout cut single writes short.
 */
export class WriteStalls {
  private readonly closed: Window[] = [];
  private openSince: number | undefined;
  private lastRefusedAt = 0;
  private longestClosedMs = 0;

  /**
   * @param now a monotonic clock in ms (the times passed in come from it)
   * @param wallClock epoch ms, to place the windows in time
   */
  constructor(
    private readonly now: () => number,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** A write that started at `startedAt` was refused by a frozen or retired database. */
  blocked(startedAt: number): void {
    const last = this.closed.at(-1);
    // Refused, but sent before the last window closed: that window was not over after all.
    if (this.openSince === undefined && last && startedAt <= last.to) {
      this.closed.pop();
      this.openSince = last.from;
    }
    this.openSince = Math.min(this.openSince ?? startedAt, startedAt);
    this.lastRefusedAt = this.now();
  }

  /** A write that started at `startedAt` succeeded; `retried` when it had been blocked first. */
  succeeded(startedAt: number, retried: boolean): void {
    const now = this.now();
    if (retried) this.longestClosedMs = Math.max(this.longestClosedMs, now - startedAt);
    // A write sent before the window opened and never refused committed before the freeze.
    if (this.openSince === undefined || (!retried && startedAt < this.openSince)) return;
    this.longestClosedMs = Math.max(this.longestClosedMs, now - this.openSince);
    if (this.closed.length < MAX_WINDOWS) this.closed.push({ from: this.openSince, to: now });
    this.openSince = undefined;
  }

  /** The longest window, counting one still open (see `list`). */
  longestMs(): number {
    const open = this.openSince === undefined ? 0 : this.lastRefusedAt - this.openSince;
    return Math.max(this.longestClosedMs, open);
  }

  /**
   * The windows so far, the one still open (if any) last. An open window lasts until the last refusal:
   * when no write comes any more (no traffic left on this side), writes were not blocked after it.
   */
  list(): WriteStall[] {
    const toWall = this.wallClock() - this.now();
    const windows = this.closed.map((w) => ({ startedAt: toWall + w.from, ms: w.to - w.from }));
    if (this.openSince === undefined) return windows;
    const ongoing = {
      startedAt: toWall + this.openSince,
      ms: this.lastRefusedAt - this.openSince,
      ongoing: true,
    };
    return [...windows, ongoing];
  }
}
