import type { LoadBucket } from '../load/load-types';
import { LATENCY_COLOR, latencyPanel, msLabel, type PanelBox } from './latency-panel';
import { placeLabels } from './phase-lanes';
import { linearScale, niceTicks } from './scale';
import { escapeXml, fixed, textWidth } from './svg-text';
import { switchWindow, type TimeRange } from './switch-window';

export interface ReportSvgInput {
  /** Buckets of the load result, times in ms since the load started. */
  readonly series: readonly LoadBucket[];
  /** Green's share (%) from each time on, same time origin. */
  readonly weights: readonly { readonly atMs: number; readonly green: number }[];
  readonly phases: readonly { readonly name: string; readonly startMs: number; readonly endMs: number }[];
  /** Times writes were blocked, same time origin. @default none */
  readonly writeStalls?: readonly { readonly startMs: number; readonly endMs: number }[];
  /** The plan's `maxWriteFreeze`, in ms. */
  readonly maxWriteStallMs?: number;
  readonly title: string;
}

const WIDTH = 900;
/** The traffic chart on top; p99 latency and the write stall below it, with the switch zoomed in. */
const TRAFFIC_HEIGHT = 420;
const HEIGHT = 680;
const LATENCY_BOX = { top: 456, bottom: 618 } as const;
const INSET_LEFT = 580;
const INSET_GAP = 40;
const LEFT = 62;
const RIGHT = WIDTH - 58;
const BOTTOM = TRAFFIC_HEIGHT - 46;
const LANES_TOP = 54;
const LANE_HEIGHT = 14;
const MAX_LANES = 3;
const LABEL_FONT = 10.5;
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const COLOR = {
  text: '#222',
  muted: '#666',
  grid: '#e6e6e6',
  rate: '#1f5fa8',
  failed: '#d62728',
  green: '#16964a',
  bands: ['#eaf0f8', '#f6f1e4'],
} as const;

/**
 * A rehearsal at a glance, as one self-contained SVG: request rate, failed requests, green's share of
 * traffic and the cutover's phases over time; below, p99 latency and the write stall, with an inset
 * zoomed on the database switch.
 */
export function renderReportSvg(input: ReportSvgInput): string {
  const endMs = Math.max(
    1,
    ...input.series.map((bucket) => bucket.atMs + bucket.spanMs),
    ...input.phases.map((phase) => phase.endMs),
    ...input.weights.map((weight) => weight.atMs),
    ...(input.writeStalls ?? []).map((stall) => stall.endMs),
  );
  const x = linearScale(0, endMs, LEFT, RIGHT);
  const clampX = (ms: number): number => x(Math.min(Math.max(ms, 0), endMs));
  const labels = placeLabels(
    input.phases.map((phase) => ({
      name: phase.name,
      x: clampX(phase.startMs),
      width: textWidth(phase.name, LABEL_FONT) + 4,
    })),
    MAX_LANES,
  );
  const lanes = Math.max(0, ...labels.map((label) => label.lane + 1));
  const top = LANES_TOP + lanes * LANE_HEIGHT + 6;

  const typicalSpanMs = Math.max(1, ...input.series.map((bucket) => bucket.spanMs));
  const rates = input.series
    // A last bucket cut very short would show a spike or a dip that is only rounding.
    .filter((bucket) => bucket.spanMs >= typicalSpanMs / 2)
    .map((bucket) => ({
      atMs: bucket.atMs + bucket.spanMs / 2,
      perSecond: (bucket.sent * 1000) / bucket.spanMs,
    }));
  const failures = input.series
    .filter((bucket) => bucket.failed > 0)
    .map((bucket) => ({ ...bucket, perSecond: (bucket.failed * 1000) / typicalSpanMs }));
  const rateTicks = niceTicks(
    Math.max(10, ...rates.map((r) => r.perSecond), ...failures.map((f) => f.perSecond)),
  );
  const y = linearScale(0, rateTicks.at(-1) ?? 10, BOTTOM, top);
  const yShare = linearScale(0, 100, BOTTOM, top);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${escapeXml(FONT)}" font-size="11" fill="${COLOR.text}">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${LEFT}" y="24" font-size="15" font-weight="600">${escapeXml(input.title)}</text>`,
    summary(input.series),
    legend(),
    phaseBands(input.phases, labels, clampX, top),
    grid(rateTicks, y, top),
    timeAxis(endMs, x),
    shareAxis(yShare),
    failureBars(failures, clampX, y, typicalSpanMs),
    rateLine(rates, x, y),
    shareLine(input.weights, clampX, yShare, endMs),
    `<rect x="${LEFT}" y="${fixed(top)}" width="${RIGHT - LEFT}" height="${fixed(BOTTOM - top)}" fill="none" stroke="#999"/>`,
    latencySection(input, endMs),
    '</svg>',
  ];
  return `${parts.filter(Boolean).join('\n')}\n`;
}

function summary(series: readonly LoadBucket[]): string {
  const sent = series.reduce((sum, bucket) => sum + bucket.sent, 0);
  const failed = series.reduce((sum, bucket) => sum + bucket.failed, 0);
  const worstP99 = Math.max(0, ...series.map((bucket) => bucket.p99Ms));
  const failedText = `<tspan fill="${failed > 0 ? COLOR.failed : COLOR.green}" font-weight="600">${grouped(failed)} failed</tspan>`;
  return `<text x="${LEFT}" y="42" fill="${COLOR.muted}">${grouped(sent)} requests · ${failedText} · worst p99 in a bucket ${Math.round(worstP99)} ms</text>`;
}

/** p99 and write stall over the whole run and, when a database was switched, zoomed on the switch. */
function latencySection(input: ReportSvgInput, endMs: number): string {
  const stalls = input.writeStalls ?? [];
  const zoom = switchWindow(input.phases, stalls, endMs);
  const panelInput = {
    series: input.series,
    writeStalls: stalls,
    ...(input.maxWriteStallMs === undefined ? {} : { maxWriteStallMs: input.maxWriteStallMs }),
  };
  const whole: PanelBox = { ...LATENCY_BOX, left: LEFT, right: zoom ? INSET_LEFT - INSET_GAP : RIGHT };
  const heading = LATENCY_BOX.top - 10;
  const parts = [
    `<text x="${LEFT}" y="${heading}" font-weight="600">p99 latency</text>`,
    `<text x="${LEFT + 74}" y="${heading}" fill="${LATENCY_COLOR.stall}" font-weight="600">and write stall</text>`,
    `<text x="${LEFT + 170}" y="${heading}" fill="${COLOR.muted}">(how long writes had waited): longest ${stallText(stalls, input.maxWriteStallMs)}</text>`,
    latencyPanel(panelInput, whole, { fromMs: 0, toMs: endMs }, 'latency'),
    `<text x="${(LEFT + RIGHT) / 2}" y="${HEIGHT - 12}" text-anchor="middle" fill="${COLOR.muted}">seconds since the load started</text>`,
  ];
  if (zoom) parts.push(zoomMarker(zoom, whole, endMs), inset(panelInput, zoom));
  return `<g class="latency-section">${parts.join('\n')}</g>`;
}

function stallText(
  stalls: readonly { readonly startMs: number; readonly endMs: number }[],
  limitMs: number | undefined,
): string {
  const longest = Math.round(Math.max(0, ...stalls.map((stall) => stall.endMs - stall.startMs)));
  return limitMs === undefined ? msLabel(longest) : `${msLabel(longest)}, maxWriteFreeze ${msLabel(limitMs)}`;
}

function inset(panelInput: Parameters<typeof latencyPanel>[0], zoom: TimeRange): string {
  const box: PanelBox = { ...LATENCY_BOX, left: INSET_LEFT, right: RIGHT };
  const title = `<text x="${RIGHT}" y="${LATENCY_BOX.top - 10}" text-anchor="end" font-weight="600">database switch, zoomed</text>`;
  return title + latencyPanel(panelInput, box, zoom, 'inset', 'right');
}

/** Marks the zoomed range on the whole-run panel and joins it to the inset. */
function zoomMarker(zoom: TimeRange, whole: PanelBox, endMs: number): string {
  const x = linearScale(0, endMs, whole.left, whole.right);
  const x0 = x(zoom.fromMs);
  const x1 = Math.max(x0 + 2, x(zoom.toMs));
  const { top, bottom } = whole;
  return [
    `<g class="zoom-marker" fill="none" stroke="#555" stroke-dasharray="3 2">`,
    `<rect x="${fixed(x0)}" y="${top}" width="${fixed(x1 - x0)}" height="${bottom - top}"/>`,
    `<path d="M${fixed(x1)} ${top} L${INSET_LEFT} ${top} M${fixed(x1)} ${bottom} L${INSET_LEFT} ${bottom}"/>`,
    '</g>',
  ].join('');
}

function legend(): string {
  const entries = [
    {
      label: 'requests/s',
      swatch: (sx: number) =>
        `<line x1="${sx}" y1="38" x2="${sx + 18}" y2="38" stroke="${COLOR.rate}" stroke-width="2"/>`,
    },
    {
      label: 'failed/s',
      swatch: (sx: number) => `<rect x="${sx + 4}" y="32" width="10" height="10" fill="${COLOR.failed}"/>`,
    },
    {
      label: 'green %',
      swatch: (sx: number) =>
        `<path d="M${sx} 42 H${sx + 9} V34 H${sx + 18}" fill="none" stroke="${COLOR.green}" stroke-width="2"/>`,
    },
    {
      label: 'phase',
      swatch: (sx: number) =>
        `<rect x="${sx}" y="32" width="18" height="10" fill="${COLOR.bands[0]}" stroke="#aab"/>`,
    },
  ];
  let sx = RIGHT;
  const items: string[] = [];
  for (const entry of [...entries].reverse()) {
    sx -= textWidth(entry.label, 11) + 34;
    items.push(`${entry.swatch(sx)}<text x="${fixed(sx + 23)}" y="42">${entry.label}</text>`);
  }
  return `<g class="legend">${items.reverse().join('')}</g>`;
}

function phaseBands(
  phases: ReportSvgInput['phases'],
  labels: ReturnType<typeof placeLabels>,
  clampX: (ms: number) => number,
  top: number,
): string {
  const bands = phases.map((phase, index) => {
    const x0 = clampX(phase.startMs);
    const width = Math.max(1, clampX(phase.endMs) - x0);
    const label = labels[index] ?? { anchorX: x0, x: x0, lane: 0 };
    const baseline = top - 6 - label.lane * LANE_HEIGHT;
    const fill = COLOR.bands[index % COLOR.bands.length];
    // A label moved right hangs from a slanted leader; otherwise a tick rises from the band's start.
    const leader =
      label.x === label.anchorX
        ? `M${fixed(x0)} ${fixed(top)} V${fixed(baseline - 9)}`
        : `M${fixed(x0)} ${fixed(top)} L${fixed(label.x)} ${fixed(baseline + 2)}`;
    return [
      `<g class="phase"><title>${escapeXml(phase.name)}</title>`,
      `<rect x="${fixed(x0)}" y="${fixed(top)}" width="${fixed(width)}" height="${fixed(BOTTOM - top)}" fill="${fill}"/>`,
      `<path d="${leader}" fill="none" stroke="#99a"/>`,
      `<text x="${fixed(label.x + 3)}" y="${fixed(baseline)}" font-size="${LABEL_FONT}" fill="#445">${escapeXml(phase.name)}</text>`,
      '</g>',
    ].join('');
  });
  return `<g class="phases">${bands.join('\n')}</g>`;
}

function grid(ticks: readonly number[], y: (value: number) => number, top: number): string {
  const lines = ticks.map((tick) => {
    const ty = fixed(y(tick));
    return `<line x1="${LEFT}" y1="${ty}" x2="${RIGHT}" y2="${ty}" stroke="${COLOR.grid}"/><text x="${LEFT - 6}" y="${ty}" dy="4" text-anchor="end" fill="${COLOR.muted}">${tick}</text>`;
  });
  const middle = fixed((top + BOTTOM) / 2);
  const title = `<text transform="translate(16 ${middle}) rotate(-90)" text-anchor="middle" fill="${COLOR.rate}">requests/s</text>`;
  return `<g class="rate-axis">${lines.join('')}${title}</g>`;
}

function timeAxis(endMs: number, x: (ms: number) => number): string {
  const ticks = niceTicks(endMs / 1000, 10).filter((seconds) => seconds * 1000 <= endMs);
  const marks = ticks.map((seconds) => {
    const tx = fixed(x(seconds * 1000));
    return `<line x1="${tx}" y1="${BOTTOM}" x2="${tx}" y2="${BOTTOM + 4}" stroke="#999"/><text x="${tx}" y="${BOTTOM + 16}" text-anchor="middle" fill="${COLOR.muted}">${seconds}</text>`;
  });
  const title = `<text x="${(LEFT + RIGHT) / 2}" y="${TRAFFIC_HEIGHT - 10}" text-anchor="middle" fill="${COLOR.muted}">seconds since the load started</text>`;
  return `<g class="time-axis">${marks.join('')}${title}</g>`;
}

function shareAxis(y: (share: number) => number): string {
  const marks = [0, 25, 50, 75, 100].map((share) => {
    const ty = fixed(y(share));
    return `<line x1="${RIGHT}" y1="${ty}" x2="${RIGHT + 4}" y2="${ty}" stroke="${COLOR.green}"/><text x="${RIGHT + 7}" y="${ty}" dy="4" fill="${COLOR.green}">${share}</text>`;
  });
  const middle = fixed((y(0) + y(100)) / 2);
  const title = `<text transform="translate(${WIDTH - 12} ${middle}) rotate(90)" text-anchor="middle" fill="${COLOR.green}">green % of traffic</text>`;
  return `<g class="share-axis">${marks.join('')}${title}</g>`;
}

function failureBars(
  failures: readonly (LoadBucket & { perSecond: number })[],
  clampX: (ms: number) => number,
  y: (value: number) => number,
  typicalSpanMs: number,
): string {
  const bars = failures.map((bucket) => {
    const x0 = clampX(bucket.atMs);
    const width = Math.max(2, clampX(bucket.atMs + typicalSpanMs) - x0 - 1);
    // However few, failures must show: a bar is at least 3 px tall.
    const height = Math.max(3, BOTTOM - y(bucket.perSecond));
    return `<rect x="${fixed(x0)}" y="${fixed(BOTTOM - height)}" width="${fixed(width)}" height="${fixed(height)}" fill="${COLOR.failed}"><title>${bucket.failed} failed</title></rect>`;
  });
  return `<g class="failed">${bars.join('')}</g>`;
}

function rateLine(
  rates: readonly { atMs: number; perSecond: number }[],
  x: (ms: number) => number,
  y: (value: number) => number,
): string {
  const points = rates.map(
    (rate, index) => `${index === 0 ? 'M' : 'L'}${fixed(x(rate.atMs))} ${fixed(y(rate.perSecond))}`,
  );
  return `<path class="rate" d="${points.join(' ')}" fill="none" stroke="${COLOR.rate}" stroke-width="1.6" stroke-linejoin="round"/>`;
}

function shareLine(
  weights: ReportSvgInput['weights'],
  clampX: (ms: number) => number,
  y: (share: number) => number,
  endMs: number,
): string {
  const sorted = [...weights].sort((a, b) => a.atMs - b.atMs);
  const steps: string[] = [];
  let previous: number | undefined;
  for (const weight of sorted) {
    const green = Math.min(100, Math.max(0, weight.green));
    // The weights are sampled often; only a change makes a step.
    if (green === previous) continue;
    const share = fixed(y(green));
    const at = fixed(clampX(weight.atMs));
    steps.push(previous === undefined ? `M${at} ${share}` : `H${at} V${share}`);
    previous = green;
  }
  if (steps.length > 0) steps.push(`H${fixed(clampX(endMs))}`);
  return `<path class="green-share" d="${steps.join(' ')}" fill="none" stroke="${COLOR.green}" stroke-width="2"/>`;
}

function grouped(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
