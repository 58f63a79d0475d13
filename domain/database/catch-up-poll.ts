import { freezeTimeLeftMs } from './write-freeze';

/**
 * Inside the write freeze the target is usually a few milliseconds behind: one check reads the lag
 * again every `intervalMs` for up to `windowMs` before handing back to the state machine, whose Wait
 * loop (whole seconds, one more invocation per turn) is left for a slow catch-up. `reserveMs` of the
 * invocation stay for closing connections and answering.
 */
export const CATCH_UP_POLL = { intervalMs: 50, windowMs: 3000, reserveMs: 2000 } as const;

export interface CatchUpPollBounds {
  readonly now: Date;
  /** The freeze's deadline; null when nothing was frozen. */
  readonly unfreezeBy: string | null | undefined;
  /** What the invocation has left before its function's timeout. @default - no bound but the window */
  readonly invocationLeftMs?: number | undefined;
}

/**
 * How long one check may keep reading the lag: a few seconds at most, never past the freeze's deadline
 * nor near the end of its invocation. 0: read once.
 */
export function catchUpPollWindowMs(bounds: CatchUpPollBounds): number {
  const limits = [
    CATCH_UP_POLL.windowMs,
    bounds.unfreezeBy ? freezeTimeLeftMs(bounds.unfreezeBy, bounds.now) : Infinity,
    bounds.invocationLeftMs === undefined ? Infinity : bounds.invocationLeftMs - CATCH_UP_POLL.reserveMs,
  ];
  return Math.max(0, Math.min(...limits));
}
