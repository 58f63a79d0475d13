import { loadavg } from 'node:os';
import type { LoadResult } from '../local/load/load-types';
import type { RehearsalReport } from '../local/rehearsal/rehearsal-report';
import { runRehearsal, type RehearsalOutcome } from '../local/rehearsal/run-rehearsal';
import { BUSY_LOOP, startCpuBurners } from './cpu-burner';
import { watchDescendantCpu } from './process-cpu';
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
  /** CPU seconds used while the rehearsal ran, by kind of process (the burners' included). */
  readonly cpuSeconds: ReadonlyMap<string, number>;
  readonly wallSeconds: number;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  /** When the failures and the longest write stall happened: the phase, or before/after the cutover. */
  readonly when: ReturnType<typeof whenThingsWentWrong>;
}

/** The default rehearsal (the demo plan, as `cutover rehearse` runs it) next to a CPU-burning process. */
export async function measureBesideCpuBurner(log: (line: string) => void): Promise<CpuBurnerBench> {
  const loadBefore = loadavg();
  log(`rehearsal next to ${BURNERS} CPU-burning process(es)…`);
  const cpu = watchDescendantCpu(kindOfProcess);
  const burner = startCpuBurners(BURNERS, BURNER_LIMIT_MS);
  const started = performance.now();
  let cpuSeconds: ReadonlyMap<string, number> = new Map();
  try {
    const outcome = await runRehearsal({ plan: demoPlan(), ...REHEARSAL_SETTINGS });
    const wallSeconds = (performance.now() - started) / 1000;
    cpuSeconds = cpu.stop();
    const when = whenThingsWentWrong(outcome);
    return {
      report: outcome.report,
      burners: BURNERS,
      cpuSeconds,
      wallSeconds,
      loadBefore,
      loadAfter: loadavg(),
      when,
    };
  } finally {
    if (cpuSeconds.size === 0) cpu.stop();
    await burner.stop();
  }
}

/** Failed requests by the phase they were sent in, and the phase in which the longest write stall began. */
export function whenThingsWentWrong(
  outcome: Pick<RehearsalOutcome, 'phases' | 'writeStalls'> & { readonly load: Pick<LoadResult, 'series'> },
): {
  readonly failedByPhase: ReadonlyMap<string, number>;
  readonly longestStall?: { ms: number; phase: string };
} {
  const { phases } = outcome;
  const phaseAt = (ms: number): string => {
    if (phases.length === 0 || ms < (phases[0]?.startMs ?? 0)) return 'before the cutover';
    return phases.find((phase) => ms >= phase.startMs && ms < phase.endMs)?.name ?? 'after the cutover';
  };
  const failedByPhase = new Map<string, number>();
  for (const bucket of outcome.load.series) {
    if (bucket.failed === 0) continue;
    const phase = phaseAt(bucket.atMs);
    failedByPhase.set(phase, (failedByPhase.get(phase) ?? 0) + bucket.failed);
  }
  const longest = [...outcome.writeStalls].sort((a, b) => b.endMs - b.startMs - (a.endMs - a.startMs))[0];
  return longest
    ? {
        failedByPhase,
        longestStall: { ms: longest.endMs - longest.startMs, phase: phaseAt(longest.startMs) },
      }
    : { failedByPhase };
}

function during(phase: string): string {
  return phase.endsWith('the cutover') ? phase : `in ${phase}`;
}

/** Names the processes a rehearsal starts, to say where its CPU went. */
export function kindOfProcess(commandLine: string): string {
  if (commandLine.includes(BUSY_LOOP)) return 'CPU burner';
  if (commandLine.includes('app-process.ts')) return 'sample apps (blue and green)';
  if (commandLine.includes('postgres-server-process')) return 'PostgreSQL launchers (node)';
  if (commandLine.includes('esbuild')) return 'esbuild (tsx compiling TypeScript)';
  if (/(^|\/)postgres(\s|$)|postgres: /.test(commandLine)) return 'PostgreSQL (both servers, their backends)';
  return 'other';
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
    '',
    `Where the CPU went in the ${bench.wallSeconds.toFixed(0)} s the rehearsal took (CPU seconds, from /proc, sampled every`,
    '500 ms; short-lived PostgreSQL backends are partly missed; "bench process" is the state machine, the step',
    `handlers and the load generator's thread). ${bench.wallSeconds.toFixed(0)} s on 2 cores is ${(bench.wallSeconds * 2).toFixed(0)} CPU seconds in all.`,
    '',
    '| Processes | CPU seconds | Share of one core |',
    '| --- | --- | --- |',
    ...[...bench.cpuSeconds]
      .sort((a, b) => b[1] - a[1])
      .map(
        ([kind, seconds]) =>
          `| ${kind === 'bench' ? 'bench process' : kind} | ${seconds.toFixed(1)} | ${((100 * seconds) / bench.wallSeconds).toFixed(0)} % |`,
      ),
    '',
    '| Target | Measured | Result |',
    '| --- | --- | --- |',
    `| the cutover completes | ${report.outcome}${report.cause ? ` (${report.cause})` : ''} | ${pass(report.outcome === 'completed')} |`,
    `| ${TARGETS.failedRequests} failed requests | ${report.requests.failed} of ${report.requests.total} (${report.achievedRatePerSecond} requests/s achieved) | ${pass(report.requests.failed <= TARGETS.failedRequests)} |`,
    `| longest write stall ≤ ${ms(TARGETS.writeStallMs)} | ${ms(report.writeStallMs)} | ${pass(report.writeStallMs <= TARGETS.writeStallMs)} |`,
    `| report.zeroDowntime (≤ maxWriteFreeze, ${ms(report.maxWriteStallMs)}) | ${report.zeroDowntime} | ${pass(report.zeroDowntime)} |`,
    '',
    `Failed requests by the phase they were sent in: ${[...bench.when.failedByPhase].map(([phase, n]) => `${phase} ${n}`).join(', ') || 'none'}.`,
    bench.when.longestStall
      ? `The longest write stall (${ms(bench.when.longestStall.ms)}) began ${during(bench.when.longestStall.phase)}.`
      : 'No write stalled.',
    `p99 ${ms(report.latencyMs.p99)} (before the cutover ${ms(report.p99BeforeMs)}, during ${ms(report.p99DuringMs)}); ${report.durationSeconds.toFixed(0)} s in all.`,
  ].join('\n');
}
