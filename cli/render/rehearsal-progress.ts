import type { RehearsalProgress } from '../../local/rehearsal/run-rehearsal';

/** A terminal's width the progress line must fit (CI logs and narrow terminals included). */
export const PROGRESS_COLUMNS = 80;
/** How often the line on a terminal is redrawn. */
const REDRAW_MS = 200;

export interface ProgressOutput {
  /** A terminal: one line, redrawn in place. Otherwise (a pipe, a CI log): one line per phase. */
  readonly isTTY: boolean;
  write(text: string): void;
}

export interface ProgressWriter {
  readonly onProgress: (progress: RehearsalProgress) => void;
  /** Ends the line being redrawn, so what follows starts on a line of its own. */
  finish(): void;
}

/**
 * Shows a rehearsal's progress. On a terminal, one line redrawn at most every 200 ms; elsewhere a line
 * each time a phase starts, so a log gets one line per phase and no carriage returns.
 */
export function progressWriter(output: ProgressOutput, now: () => number = Date.now): ProgressWriter {
  let lastDrawn = -Infinity;
  let lastPhase: string | undefined;
  let drawn = false;
  return {
    onProgress: (progress) => {
      if (!output.isTTY) {
        if (progress.phase === lastPhase) return;
        lastPhase = progress.phase;
        output.write(`${progressLine(progress)}\n`);
        return;
      }
      const at = now();
      if (at - lastDrawn < REDRAW_MS) return;
      lastDrawn = at;
      drawn = true;
      output.write(`\r\u001b[K${progressLine(progress)}`);
    },
    finish: () => {
      if (drawn) output.write('\n');
      drawn = false;
    },
  };
}

/**
 * One line of at most 80 columns, e.g.
 * `  42s shift-3          green  50%  300 req/s 0 failed p99 12ms lag 16kB`. Blue's share is the rest.
 */
export function progressLine(p: RehearsalProgress): string {
  const fields = [
    elapsed(p.elapsedSeconds).padStart(5),
    p.phase.padEnd(16),
    `green ${String(Math.round(p.weights.green)).padStart(3)}%`,
    `${count(Math.round(p.rps)).padStart(4)} req/s`,
    `${count(p.failed)} failed`,
    `p99 ${milliseconds(p.p99Ms)}`,
    `lag ${p.lagBytes === undefined ? '-' : bytes(p.lagBytes)}`,
  ];
  const line = fields.join(' ');
  // Every field is bounded, so this only cuts a phase name longer than any the tracker gives.
  return line.length <= PROGRESS_COLUMNS ? line : line.slice(0, PROGRESS_COLUMNS);
}

/** At most 5 characters: `42s`, `9999s`, `2h47m`, then `27h`. */
function elapsed(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  if (whole < 10_000) return `${whole}s`;
  const hours = Math.floor(whole / 3600);
  if (hours >= 10) return `${Math.min(9999, hours)}h`;
  return `${hours}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/** At most 4 characters: `9999`, `999k`, `999M`. */
function count(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 999_500) return `${Math.round(n / 1000)}k`;
  return `${Math.min(999, Math.round(n / 1_000_000))}M`;
}

/** At most 5 characters: `999ms`, `9.9s`, `9999s`. */
function milliseconds(ms: number): string {
  if (ms < 999.5) return `${Math.round(ms)}ms`;
  if (ms < 9950) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.min(9999, Math.round(ms / 1000))}s`;
}

/** At most 5 characters: `999B`, `999kB`, `999MB`, `999GB`. */
function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB'] as const;
  let value = n;
  let unit = 0;
  while (Math.round(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${Math.min(999, Math.round(value))}${units[unit]}`;
}
