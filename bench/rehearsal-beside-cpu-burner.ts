import { loadavg } from 'node:os';
import type { RehearsalReport } from '../local/rehearsal/rehearsal-report';
import { runRehearsal } from '../local/rehearsal/run-rehearsal';
import { startCpuBurners } from './cpu-burner';
import { demoPlan, REHEARSAL_SETTINGS } from './rehearsal-bench';

export const CPU_BURNER_HEADING = '## Rehearsal next to a CPU burner';
/** One busy loop: a whole core of a 2-core machine taken away from the rehearsal. */
const BURNERS = 1;
/** The burners stop by themselves after this, whatever happens to the bench. */
const BURNER_LIMIT_MS = 15 * 60_000;
const TARGETS = { failedRequests: 0, writeStallMs: 1000 } as const;

export interface CpuBurnerBench {
  readonly report: RehearsalReport;
  readonly burners: number;
  /** CPU seconds the burners used while the rehearsal ran. */
  readonly burnerCpuSeconds: number;
  readonly wallSeconds: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

/** The default rehearsal (the demo plan, as `cutover rehearse` runs it) next to a CPU-burning process. */
export async function measureBesideCpuBurner(log: (line: string) => void): Promise<CpuBurnerBench> {
  const loadBefore = loadavg();
  log(`rehearsal next to ${BURNERS} CPU-burning process(es)…`);
  const burner = startCpuBurners(BURNERS, BURNER_LIMIT_MS);
  const started = performance.now();
  try {
    const { report } = await runRehearsal({ plan: demoPlan(), ...REHEARSAL_SETTINGS });
    return {
      report,
      burners: BURNERS,
      burnerCpuSeconds: burner.cpuSeconds(),
      wallSeconds: (performance.now() - started) / 1000,
      loadBefore,
      loadAfter: loadavg(),
    };
  } finally {
    await burner.stop();
  }
}

export function renderCpuBurnerSection(bench: CpuBurnerBench): string {
  const { report } = bench;
  const pass = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
  const load = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(' / ');
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  return [
    CPU_BURNER_HEADING,
    '',
    'Command: `npm run bench -- cpu-burner` (rewrites only this section).',
    '',
    `The default rehearsal (the demo plan, time scale ${REHEARSAL_SETTINGS.timeScale}, ${REHEARSAL_SETTINGS.ratePerSecond} requests/s), run while`,
    `${bench.burners} busy-loop process(es) next to it burn CPU (bench/cpu-burner.ts: started before the rehearsal,`,
    'killed after it). The machine is shared: load average (1/5/15 min)',
    `${load(bench.loadBefore)} before, ${load(bench.loadAfter)} after.`,
    `The burner used ${bench.burnerCpuSeconds.toFixed(0)} CPU seconds in the ${bench.wallSeconds.toFixed(0)} s the rehearsal took.`,
    '',
    '| Target | Measured | Result |',
    '| --- | --- | --- |',
    `| the cutover completes | ${report.outcome}${report.cause ? ` (${report.cause})` : ''} | ${pass(report.outcome === 'completed')} |`,
    `| ${TARGETS.failedRequests} failed requests | ${report.requests.failed} of ${report.requests.total} (${report.achievedRatePerSecond} requests/s achieved) | ${pass(report.requests.failed <= TARGETS.failedRequests)} |`,
    `| longest write stall ≤ ${ms(TARGETS.writeStallMs)} | ${ms(report.writeStallMs)} | ${pass(report.writeStallMs <= TARGETS.writeStallMs)} |`,
    `| report.zeroDowntime (≤ maxWriteFreeze, ${ms(report.maxWriteStallMs)}) | ${report.zeroDowntime} | ${pass(report.zeroDowntime)} |`,
    '',
    `p99 ${ms(report.latencyMs.p99)} (before the cutover ${ms(report.p99BeforeMs)}, during ${ms(report.p99DuringMs)}); ${report.durationSeconds.toFixed(0)} s in all.`,
  ].join('\n');
}
