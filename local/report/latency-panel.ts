import type { LoadBucket } from '../load/load-types';
import { linearScale, niceTicks, ticksWithin } from './scale';
import type { TimeRange } from './switch-window';
import { fixed } from './svg-text';

export interface LatencyPanelInput {
  readonly series: readonly LoadBucket[];
  /** Times writes were blocked, in ms since the load started. */
  readonly writeStalls: readonly { readonly startMs: number; readonly endMs: number }[];
  /** The longest stall the plan allows: drawn as a line when the chart reaches it. */
  readonly maxWriteStallMs?: number;
}

export interface PanelBox {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const LATENCY_COLOR = { p99: '#7b3fa0', stall: '#e8590c', limit: '#b02a2a', muted: '#666' } as const;

/**
 * p99 latency and the write stall over a time range, in a box: the p99 of each bucket of requests, and
 * for each time writes were blocked a ramp that rises from 0 to the stall's length (at each moment, how
 * long writes had been waiting), so that p99 and stall share one axis in ms.
 */
export function latencyPanel(
  input: LatencyPanelInput,
  box: PanelBox,
  range: TimeRange,
  className: string,
  axis: 'left' | 'right' = 'left',
): string {
  const x = linearScale(range.fromMs, range.toMs, box.left, box.right);
  const inRange = (ms: number) => ms >= range.fromMs && ms <= range.toMs;
  const p99 = input.series
    .filter((bucket) => bucket.sent > 0)
    .map((bucket) => ({ atMs: bucket.atMs + bucket.spanMs / 2, ms: bucket.p99Ms }))
    .filter((point) => inRange(point.atMs));
  const stalls = input.writeStalls
    .map((stall) => clipRamp(stall, range))
    .filter((ramp): ramp is Ramp => ramp !== undefined);
  const highest = Math.max(10, ...p99.map((point) => point.ms), ...stalls.map((ramp) => ramp.toValue));
  const ticks = niceTicks(highest, 4);
  const top = ticks.at(-1) ?? highest;
  const y = linearScale(0, top, box.bottom, box.top);
  const limit = input.maxWriteStallMs;
  return [
    `<g class="${className}" data-from-ms="${Math.round(range.fromMs)}" data-to-ms="${Math.round(range.toMs)}">`,
    ...ticks.map((tick) => {
      const ty = fixed(y(tick));
      const label = axis === 'left' ? `x="${box.left - 5}" text-anchor="end"` : `x="${box.right + 5}"`;
      return `<line x1="${box.left}" y1="${ty}" x2="${box.right}" y2="${ty}" stroke="#e6e6e6"/><text ${label} y="${ty}" dy="4" fill="${LATENCY_COLOR.muted}">${msLabel(tick)}</text>`;
    }),
    timeTicks(range, x, box),
    ...stalls.map((ramp) => {
      const points = [
        [ramp.fromMs, 0],
        [ramp.fromMs, ramp.fromValue],
        [ramp.toMs, ramp.toValue],
        [ramp.toMs, 0],
      ].map(([ms = 0, value = 0]) => `${fixed(x(ms))},${fixed(y(value))}`);
      return `<polygon class="write-stall" points="${points.join(' ')}" fill="${LATENCY_COLOR.stall}" fill-opacity="0.35" stroke="${LATENCY_COLOR.stall}"><title>write stall ${Math.round(ramp.stallMs)} ms</title></polygon>`;
    }),
    limit !== undefined && limit > 0 && limit <= top
      ? `<line class="write-stall-limit" x1="${box.left}" y1="${fixed(y(limit))}" x2="${box.right}" y2="${fixed(y(limit))}" stroke="${LATENCY_COLOR.limit}" stroke-dasharray="5 3"><title>maxWriteFreeze ${Math.round(limit)} ms</title></line>`
      : '',
    `<path class="p99" d="${p99.map((point, index) => `${index === 0 ? 'M' : 'L'}${fixed(x(point.atMs))} ${fixed(y(point.ms))}`).join(' ')}" fill="none" stroke="${LATENCY_COLOR.p99}" stroke-width="1.5" stroke-linejoin="round"/>`,
    `<rect x="${box.left}" y="${box.top}" width="${fixed(box.right - box.left)}" height="${fixed(box.bottom - box.top)}" fill="none" stroke="#999"/>`,
    '</g>',
  ].join('');
}

interface Ramp {
  readonly fromMs: number;
  readonly toMs: number;
  readonly fromValue: number;
  readonly toValue: number;
  readonly stallMs: number;
}

/** The part of a stall's ramp inside the range: at time t it stands at t − start. */
function clipRamp(stall: { startMs: number; endMs: number }, range: TimeRange): Ramp | undefined {
  const fromMs = Math.max(stall.startMs, range.fromMs);
  const toMs = Math.min(stall.endMs, range.toMs);
  if (toMs <= fromMs) return undefined;
  return {
    fromMs,
    toMs,
    fromValue: fromMs - stall.startMs,
    toValue: toMs - stall.startMs,
    stallMs: stall.endMs - stall.startMs,
  };
}

function timeTicks(range: TimeRange, x: (ms: number) => number, box: PanelBox): string {
  const seconds = ticksWithin(range.fromMs / 1000, range.toMs / 1000, 8);
  return seconds
    .map((second) => {
      const tx = fixed(x(second * 1000));
      return `<line x1="${tx}" y1="${box.bottom}" x2="${tx}" y2="${box.bottom + 4}" stroke="#999"/><text x="${tx}" y="${box.bottom + 15}" text-anchor="middle" fill="${LATENCY_COLOR.muted}">${second}</text>`;
    })
    .join('');
}

export function msLabel(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : `${ms} ms`;
}
