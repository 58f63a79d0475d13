import '../../local/lambda-environment';
import { mkdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { checkFaultsFitPlan, parseFault, type Fault } from '../../local/rehearsal/faults';
import { exitCodeOf, type RehearsalReport } from '../../local/rehearsal/rehearsal-report';
import {
  runRehearsal,
  type RehearsalOutcome,
  type RehearsalProgress,
} from '../../local/rehearsal/run-rehearsal';
import { renderReportSvg } from '../../local/report/render-report-svg';
import { resolveSchedule } from '../../domain/schedule/resolve';
import { startRehearsalOperator } from '../../local/operator/rehearsal-operator';
import type { CliIo } from '../io';
import { loadPlan } from '../load-plan';
import { printIssues } from '../print-issues';
import { ensureReportWritable, svgBeside } from '../report-path';

/** The plan `cutover rehearse` runs when given none: app traffic shift plus a PostgreSQL switchover. */
export const DEMO_PLAN = join(__dirname, '..', '..', 'examples', 'app-postgres-logical.yaml');
export const DEFAULT_TIME_SCALE = 0.05;
export const DEFAULT_RATE = 300;
/** How long `--console` keeps serving once the rehearsal has ended. */
const CONSOLE_LINGER_MS = 5000;

export interface RehearseOptions {
  readonly timeScale: number;
  readonly rate: number;
  readonly report?: string;
  readonly fault: readonly string[];
  readonly quiet: boolean;
  /** Serve the operator API and console, and let a human answer the workflow's questions. */
  readonly console?: boolean;
  readonly port?: number;
  readonly signal?: AbortSignal;
}

/** `cutover rehearse [plan]`: runs the plan against the local platform under load; exit 0 only when completed. */
export async function rehearseCommand(
  file: string | undefined,
  options: RehearseOptions,
  io: CliIo,
): Promise<number> {
  // Every argument is checked before anything starts.
  const faults: Fault[] = options.fault.map(parseFault);
  if (options.report) await ensureReportWritable(options.report);
  const { plan, warnings } = await loadPlan(file ?? DEMO_PLAN);
  checkFaultsFitPlan(faults, resolveSchedule(plan).steps.length);
  printIssues(io, { errors: [], warnings }, false);
  const live = !options.quiet && process.stderr.isTTY === true;
  const operator = options.console ? await startRehearsalOperator(options.port) : undefined;
  if (operator) {
    io.out(`console: ${operator.server.url}/console/`);
    io.out(`operate it from another terminal: export CUTOVER_ENDPOINT=${operator.server.url}`);
  }
  const outcome = await runRehearsal({
    plan,
    timeScale: options.timeScale,
    ratePerSecond: options.rate,
    faults,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(live ? { onProgress: progressLine() } : {}),
    ...(operator ? { operator: 'human' as const, onStart: (l) => operator.backend.attach(l) } : {}),
  }).finally(async () => {
    // Late readers (a `cutover watch`, the console page) still see the outcome for a moment.
    if (operator) await sleep(CONSOLE_LINGER_MS).then(() => operator.server.close());
  });
  if (live) process.stderr.write('\n');
  // The summary first: if the report cannot be written after all, the outcome is still on screen.
  io.out(summary(outcome.report));
  if (options.report) await writeReport(options.report, outcome);
  return exitCodeOf(outcome.report);
}

async function writeReport(file: string, outcome: RehearsalOutcome): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(outcome.report, null, 2)}\n`);
  const svg = renderReportSvg({
    series: outcome.load.series,
    weights: outcome.weights,
    phases: outcome.phases,
    title: `cutover rehearsal: ${outcome.report.plan} (${outcome.report.outcome})`,
  });
  await writeFile(svgBeside(file), svg);
}

function progressLine(): (progress: RehearsalProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const lag = p.lagBytes === undefined ? '-' : `${p.lagBytes} B`;
    const line = `${p.elapsedSeconds.toFixed(0).padStart(4)}s  ${p.phase.padEnd(16)} blue ${String(p.weights.blue).padStart(3)} % / green ${String(p.weights.green).padStart(3)} %  ${p.rps.toFixed(0).padStart(4)} req/s  failed ${p.failed}  p99 ${p.p99Ms.toFixed(0)} ms  lag ${lag}`;
    process.stderr.write(`\r\u001b[K${line}`);
  };
}

function summary(report: RehearsalReport): string {
  const ms = (n: number) => `${Math.round(n)} ms`;
  const lines = [
    `rehearsal of ${report.plan}: ${report.outcome}${report.cause ? ` (${report.cause})` : ''}`,
    `  traffic: blue ${report.finalWeights.blue} % / green ${report.finalWeights.green} %`,
    `  requests: ${report.requests.total} sent, ${report.requests.failed} failed (blue ${report.requests.byTarget.blue.failed}, green ${report.requests.byTarget.green.failed})`,
    `  latency: p50 ${ms(report.latencyMs.p50)}, p99 ${ms(report.latencyMs.p99)} (before ${ms(report.p99BeforeMs)}, during ${ms(report.p99DuringMs)}), max ${ms(report.latencyMs.max)}`,
    `  longest write stall: ${ms(report.writeStallMs)}; data check: ${report.dataCheck.rowsCompared} rows in ${report.dataCheck.tables} table(s), ${report.dataCheck.mismatches} mismatch(es)`,
  ];
  if (report.rollback)
    lines.push(`  rolled back in ${report.rollback.seconds.toFixed(2)} s: ${report.rollback.reason}`);
  lines.push(`  ${report.transitions} state transitions, ${report.durationSeconds.toFixed(0)} s`);
  return lines.join('\n');
}
