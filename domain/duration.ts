/** Durations in plans are written as a whole number and a unit: 500ms, 30s, 5m, 1h, 2d. */
const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 } as const;
const DURATION = /^(\d+)(ms|s|m|h|d)$/;

export const DURATION_HINT = 'a whole number and a unit, e.g. 500ms, 30s, 5m, 1h or 2d';

/** Seconds in a duration string, or undefined when it is not written in the accepted form. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match as unknown as [string, string, keyof typeof UNIT_SECONDS];
  return Number(amount) * UNIT_SECONDS[unit];
}

/**
 * Seconds in a duration the plan schema has already validated. A malformed one here is a bug, not
 * operator input, so it throws instead of falling back to a guess.
 */
export function durationSeconds(text: string): number {
  const seconds = parseDuration(text);
  if (seconds === undefined) throw new RangeError(`not a duration: ${JSON.stringify(text)}`);
  return seconds;
}

/** A compact human form: 90 → "1m30s", 0.25 → "250ms". */
export function formatDuration(seconds: number): string {
  if (seconds > 0 && seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('') || '0s';
}
