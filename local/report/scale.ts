/** Maps a domain [d0, d1] onto a pixel range [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** About `count` round tick values (1, 2 or 5 × 10^n apart) from 0 to at least `max`. */
export function niceTicks(max: number, count = 5): number[] {
  const step = niceStep(max > 0 ? max / count : 1);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / magnitude;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
}

/** About `count` round values (1, 2 or 5 × 10^n apart) inside [from, to], e.g. the time ticks of a zoom. */
export function ticksWithin(from: number, to: number, count = 5): number[] {
  const step = niceStep(to > from ? (to - from) / count : 1);
  const ticks: number[] = [];
  for (let value = Math.ceil(from / step) * step; value <= to + step * 1e-9; value += step) {
    ticks.push(Number(value.toPrecision(12)));
  }
  return ticks;
}
