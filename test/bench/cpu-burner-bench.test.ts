import { existsSync } from 'node:fs';
import { startCpuBurners } from '../../bench/cpu-burner';
import { replaceSection } from '../../bench/markdown-section';
import {
  CPU_BURNER_HEADING,
  renderCpuBurnerSection,
  type CpuBurnerBench,
} from '../../bench/rehearsal-beside-cpu-burner';
import type { RehearsalReport } from '../../local/rehearsal/rehearsal-report';

function bench(overrides: Partial<RehearsalReport>): CpuBurnerBench {
  const report = {
    outcome: 'completed',
    cause: null,
    requests: {
      total: 30_000,
      failed: 0,
      byTarget: { blue: { total: 1, failed: 0 }, green: { total: 1, failed: 0 } },
    },
    latencyMs: { p50: 3, p99: 40, max: 900 },
    p99BeforeMs: 30,
    p99DuringMs: 45,
    writeStallMs: 612,
    maxWriteStallMs: 10_000,
    zeroDowntime: true,
    achievedRatePerSecond: 299,
    durationSeconds: 101,
    ...overrides,
  } as RehearsalReport;
  return {
    report,
    burners: 1,
    burnerCpuSeconds: 95,
    wallSeconds: 100,
    loadBefore: [1, 2, 3],
    loadAfter: [4, 5, 6],
  };
}

describe('the CPU burner bench', () => {
  it('records failed requests and the write stall against their targets, with its command', () => {
    const section = renderCpuBurnerSection(bench({}));
    expect(section.startsWith(`${CPU_BURNER_HEADING}\n`)).toBe(true);
    expect(section).toContain('`npm run bench -- cpu-burner`');
    expect(section).toContain('| 0 failed requests | 0 of 30000 (299 requests/s achieved) | ✅ met |');
    expect(section).toContain('| longest write stall ≤ 1000 ms | 612 ms | ✅ met |');
    expect(section).toContain('The burner used 95 CPU seconds in the 100 s the rehearsal took.');
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

  it('starts busy processes and stops them: they are gone after stop()', async () => {
    const burner = startCpuBurners(2, 60_000);
    expect(burner.pids).toHaveLength(2);
    for (const pid of burner.pids) expect(existsSync(`/proc/${pid}`)).toBe(true);
    await burner.stop();
    for (const pid of burner.pids) expect(existsSync(`/proc/${pid}`)).toBe(false);
  });
});
