import type { LoadBucket } from '../../local/load/load-types';
import { placeLabels } from '../../local/report/phase-lanes';
import { renderReportSvg, type ReportSvgInput } from '../../local/report/render-report-svg';
import { niceTicks, ticksWithin } from '../../local/report/scale';
import { switchWindow } from '../../local/report/switch-window';

function bucket(atMs: number, sent: number, failed = 0): LoadBucket {
  return { atMs, spanMs: 500, sent, failed, byTarget: { blue: sent, green: 0 }, p99Ms: 12 };
}

const INPUT: ReportSvgInput = {
  title: 'cutover rehearsal: orders <to> rds & co',
  series: [bucket(0, 150), bucket(500, 150), bucket(1000, 148, 3), bucket(1500, 151), bucket(2000, 20)],
  weights: [
    { atMs: 0, green: 0 },
    { atMs: 50, green: 0 },
    { atMs: 700, green: 10 },
    { atMs: 1400, green: 100 },
  ],
  phases: [
    { name: 'preflight', startMs: 100, endMs: 300 },
    { name: 'shift-1', startMs: 300, endMs: 1200 },
    { name: 'database-switch', startMs: 1200, endMs: 1250 },
    { name: 'finalize', startMs: 1250, endMs: 1300 },
  ],
};

/** Checks that every tag is closed in order and returns the element names, in document order. */
function elements(svg: string): string[] {
  const open: string[] = [];
  const names: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name = '', , selfClosing] = match;
    if (closing) {
      expect(open.pop()).toBe(name);
    } else {
      names.push(name);
      if (!selfClosing) open.push(name);
    }
  }
  expect(open).toEqual([]);
  // Nothing that looks like a tag was left unparsed (e.g. an unescaped `<` in text).
  expect(svg.replace(/<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '')).not.toMatch(/[<>]/);
  return names;
}

describe('renderReportSvg', () => {
  const svg = renderReportSvg(INPUT);

  it('is well-formed SVG of the report size', () => {
    const names = elements(svg);
    expect(names[0]).toBe('svg');
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="900" height="680" viewBox="0 0 900 680"/,
    );
  });

  it('is self-contained', () => {
    expect(svg).not.toMatch(/<script|<image|<foreignObject|href=|@import|url\(/i);
  });

  it('escapes the title', () => {
    expect(svg).toContain('cutover rehearsal: orders &lt;to&gt; rds &amp; co');
  });

  it('labels every phase with a band', () => {
    for (const phase of INPUT.phases) expect(svg).toContain(`>${phase.name}</text>`);
    expect(svg.match(/<g class="phase">/g)).toHaveLength(INPUT.phases.length);
  });

  it('draws the request rate, green share and failures', () => {
    const rate = /<path class="rate" d="([^"]*)"/.exec(svg)?.[1] ?? '';
    // The last bucket is full-width here, so each bucket is a point.
    expect(rate.match(/[ML]/g)).toHaveLength(INPUT.series.length);
    const share = /<path class="green-share" d="([^"]*)"/.exec(svg)?.[1] ?? '';
    // Three distinct weights make a start and two steps, then the line runs to the end.
    expect(share).toMatch(/^M[\d.]+ [\d.]+ H[\d.]+ V[\d.]+ H[\d.]+ V[\d.]+ H[\d.]+$/);
    expect(svg.match(/<rect [^>]*fill="#d62728"><title>3 failed<\/title>/g)).toHaveLength(1);
    expect(svg).toContain('3 failed</tspan>');
    expect(svg).toContain('619 requests');
  });

  it('renders an empty run without failing', () => {
    const empty = renderReportSvg({ title: 'nothing ran', series: [], weights: [], phases: [] });
    elements(empty);
    expect(empty).toContain('0 requests');
  });
});

/** A switchover: the freeze starts in database-prepare, writes stall 600 ms, the switch ends it. */
const SWITCHED: ReportSvgInput = {
  title: 'switch',
  series: Array.from({ length: 40 }, (_, i) => ({
    ...bucket(i * 250, 75),
    spanMs: 250,
    p99Ms: i === 22 ? 640 : 15 + (i % 3),
  })),
  weights: [{ atMs: 0, green: 100 }],
  phases: [
    { name: 'shift-4', startMs: 500, endMs: 4000 },
    { name: 'database-prepare', startMs: 4000, endMs: 5400 },
    { name: 'database-switch', startMs: 5400, endMs: 5700 },
    { name: 'finalize', startMs: 5700, endMs: 6000 },
  ],
  writeStalls: [
    { startMs: 5100, endMs: 5700 },
    { startMs: 5150, endMs: 5600 },
  ],
  maxWriteStallMs: 10_000,
};

/** The attributes of the first element `<name class="…">`. */
function element(svg: string, name: string, className: string): Record<string, string> {
  const tag = new RegExp(`<${name} class="${className}"((?:\\s+[\\w:-]+="[^"]*")*)`).exec(svg);
  if (!tag) throw new Error(`no <${name} class="${className}">`);
  return Object.fromEntries([...(tag[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** The group `<g class="…" …>…</g>` (no nested groups inside the panels). */
function group(svg: string, className: string): string {
  const start = svg.indexOf(`<g class="${className}"`);
  if (start < 0) throw new Error(`no group ${className}`);
  return svg.slice(start, svg.indexOf('</g>', start) + 4);
}

const pathPoints = (d: string) =>
  [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('renderReportSvg: p99 latency, write stall and the switch inset', () => {
  const svg = renderReportSvg(SWITCHED);

  it('stays well-formed', () => {
    elements(svg);
  });

  it('plots the p99 of every bucket over the whole run', () => {
    const latency = group(svg, 'latency');
    const points = pathPoints(element(latency, 'path', 'p99')['d'] ?? '');
    expect(points).toHaveLength(SWITCHED.series.length);
    // The spike is the highest point (smallest y).
    const highest = points.reduce((best, point) => ((point[1] ?? 0) < (best[1] ?? 0) ? point : best));
    expect(points.indexOf(highest)).toBe(22);
  });

  it('draws each write stall as a ramp up to its length, with its length in its title', () => {
    const latency = group(svg, 'latency');
    expect(latency.match(/<polygon class="write-stall"/g)).toHaveLength(2);
    expect(latency).toContain('<title>write stall 600 ms</title>');
    expect(latency).toContain('<title>write stall 450 ms</title>');
    expect(svg).toContain('longest 600 ms, maxWriteFreeze 10 s');
  });

  it('zooms an inset on the database switch: its range brackets the switch and the stalls', () => {
    const attributes = element(svg, 'g', 'inset');
    const from = Number(attributes['data-from-ms']);
    const to = Number(attributes['data-to-ms']);
    expect(from).toBeLessThan(5100);
    expect(to).toBeGreaterThan(5700);
    // Zoomed: far narrower than the run.
    expect(to - from).toBeLessThan(2000);
    const inset = group(svg, 'inset');
    expect(inset.match(/<polygon class="write-stall"/g)).toHaveLength(2);
    const points = pathPoints(element(inset, 'path', 'p99')['d'] ?? '');
    const buckets = SWITCHED.series.filter(
      (b) => b.atMs + b.spanMs / 2 >= from && b.atMs + b.spanMs / 2 <= to,
    );
    expect(points).toHaveLength(buckets.length);
    expect(svg).toContain('database switch, zoomed');
    expect(svg).toContain('<g class="zoom-marker"');
  });

  it('draws maxWriteFreeze only when the stall reaches the chart', () => {
    expect(svg).not.toContain('write-stall-limit');
    const breached = renderReportSvg({
      ...SWITCHED,
      writeStalls: [{ startMs: 5100, endMs: 9000 }],
      maxWriteStallMs: 2000,
    });
    expect(group(breached, 'inset')).toContain('<line class="write-stall-limit"');
    expect(breached).toContain('longest 3.9 s, maxWriteFreeze 2 s');
  });

  it('has no inset when no database was switched', () => {
    const appOnly = renderReportSvg({
      ...INPUT,
      phases: INPUT.phases.filter((phase) => !phase.name.startsWith('database')),
    });
    expect(appOnly).toContain('<g class="latency"');
    expect(appOnly).not.toContain('class="inset"');
  });
});

describe('switchWindow', () => {
  it('covers the switch phase and the stalls that overlap the database phases, with a margin', () => {
    expect(switchWindow(SWITCHED.phases, SWITCHED.writeStalls ?? [], 10_000)).toEqual({
      fromMs: 4850,
      toMs: 5950,
    });
  });

  it('ignores a stall outside the database phases', () => {
    const window = switchWindow(SWITCHED.phases, [{ startMs: 100, endMs: 300 }], 10_000);
    expect(window).toEqual({ fromMs: 5150, toMs: 5950 });
  });

  it('is undefined without a database switch', () => {
    expect(switchWindow(INPUT.phases.slice(0, 2), [], 2000)).toBeUndefined();
  });
});

describe('ticksWithin', () => {
  it.each([
    [4.85, 5.95, [5, 5.2, 5.4, 5.6, 5.8]],
    [0, 10, [0, 2, 4, 6, 8, 10]],
  ])('gives round ticks inside [%p, %p]', (from, to, ticks) => {
    expect(ticksWithin(from, to, 8)).toEqual(ticks);
  });
});

describe('placeLabels', () => {
  it('uses the lane nearest the plot when the label fits there', () => {
    const placed = placeLabels(
      [
        { name: 'a', x: 0, width: 40 },
        { name: 'b', x: 100, width: 40 },
      ],
      3,
    );
    expect(placed.map((label) => label.lane)).toEqual([0, 0]);
  });

  it('stacks labels of short phases, and moves one right when every lane is taken', () => {
    const placed = placeLabels(
      ['a', 'b', 'c', 'd'].map((name, index) => ({ name, x: index * 5, width: 40 })),
      3,
    );
    expect(placed.map((label) => label.lane)).toEqual([0, 1, 2, 0]);
    expect(placed[3]).toMatchObject({ anchorX: 15, x: 46 });
  });
});

describe('niceTicks', () => {
  it.each([
    [300, [0, 100, 200, 300]],
    [312, [0, 100, 200, 300, 400]],
    [42.3, [0, 20, 40, 60]],
    [0.35, [0, 0.1, 0.2, 0.3, 0.4]],
    [0, [0, 1]],
  ])('covers %p with round ticks', (max, ticks) => {
    expect(niceTicks(max, 4)).toEqual(ticks);
  });
});
