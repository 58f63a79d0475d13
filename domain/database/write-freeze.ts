/**
 * The write freeze is bounded by the plan's `maxWriteFreeze`, counted from the moment writes stop:
 * every step inside it carries this deadline, and past it the workflow unfreezes blue and rolls back.
 */
export function unfreezeBy(frozenAt: Date, maxWriteFreezeSeconds: number): Date {
  return new Date(frozenAt.getTime() + maxWriteFreezeSeconds * 1000);
}

/** Milliseconds left in the freeze at `now`: 0 or less once its deadline has passed. */
export function freezeTimeLeftMs(deadline: string | Date, now: Date): number {
  return new Date(deadline).getTime() - now.getTime();
}
