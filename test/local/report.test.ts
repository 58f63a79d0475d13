import type { LoadBucket } from '../../local/load/load-types';
import { placeLabels } from '../../local/report/phase-lanes';
import { renderReportSvg, type ReportSvgInput } from '../../local/report/render-report-svg';
import { niceTicks } from '../../local/report/scale';

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
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="900" height="420" viewBox="0 0 900 420"/,
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
