import '../../local/lambda-environment';
import { mkdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { checkFaultsFitPlan, parseFault, type Fault } from '../../local/rehearsal/faults';
import { exitCodeOf } from '../../local/rehearsal/rehearsal-report';
import { runRehearsal, type RehearsalOutcome } from '../../local/rehearsal/run-rehearsal';
import { renderReportSvg } from '../../local/report/render-report-svg';
import { resolveSchedule } from '../../domain/schedule/resolve';
import { startRehearsalOperator } from '../../local/operator/rehearsal-operator';
import type { CliIo } from '../io';
import { loadPlan } from '../load-plan';
import { printIssues } from '../print-issues';
import { ensureReportWritable, svgBeside } from '../report-path';
import { progressWriter, type ProgressOutput } from '../render/rehearsal-progress';
import { reportLocation, summary } from '../render/rehearsal-summary';

/** The plan `cutover rehearse` runs when given none: app traffic shift plus a PostgreSQL switchover. */
export const DEMO_PLAN = join(__dirname, '..', '..', 'examples', 'app-postgres-logical.yaml');
export const DEFAULT_TIME_SCALE = 0.05;
export const DEFAULT_RATE = 300;
export const REHEARSE_EXIT_CODES_HELP = `
Exit codes:
  0  completed with zero downtime: no failed request, writes never stalled longer than maxWriteFreeze
  1  the cutover rolled back or failed
  2  invalid input: a bad plan, argument or option
  3  completed, but not with zero downtime: failed requests, or a write stall over maxWriteFreeze`;
/** How long `--console` keeps serving once the rehearsal has ended. */
const CONSOLE_LINGER_MS = 5000;

export interface RehearseOptions {
  readonly timeScale: number;
  readonly rate: number;
  readonly report?: string;
  readonly fault: readonly string[];
  readonly quiet: boolean;
  /** Switch the database endpoint with DNS as on AWS (unscaled INSYNC and TTL). */
  readonly realDnsTiming?: boolean;
  /** Serve the operator API and console, and let a human answer the workflow's questions. */
  readonly console?: boolean;
  readonly port?: number;
  readonly signal?: AbortSignal;
  /** Where the progress goes. @default process.stderr */
  readonly progress?: ProgressOutput;
}

/**
 * `cutover rehearse [plan]`: runs the plan against the local platform under load. Exit 0 when it
 * completed with zero downtime, 3 when it completed with failed requests or too long a write stall,
 * 1 when it rolled back or failed.
 */
export async function rehearseCommand(
  file: string | undefined,
  options: RehearseOptions,
  io: CliIo,
): Promise<number> {
  // Every argument is checked before anything starts.
  const faults: Fault[] = options.fault.map(parseFault);
  if (options.report) await ensureReportWritable(options.report);
  const { plan, warnings } = await loadPlan(file ?? DEMO_PLAN);
  checkFaultsFitPlan(faults, resolveSchedule(plan).steps.length, plan.deploy.kind);
  printIssues(io, { errors: [], warnings }, false);
  const progress = options.quiet
    ? undefined
    : progressWriter(
        options.progress ?? { isTTY: process.stderr.isTTY === true, write: (t) => process.stderr.write(t) },
      );
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
    ...(options.realDnsTiming ? { realDnsTiming: {} } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(progress ? { onProgress: progress.onProgress } : {}),
    ...(operator ? { operator: 'human' as const, onStart: (l) => operator.backend.attach(l) } : {}),
  }).finally(async () => {
    // Late readers (a `cutover watch`, the console page) still see the outcome for a moment.
    if (operator) await sleep(CONSOLE_LINGER_MS).then(() => operator.server.close());
  });
  progress?.finish();
  // The summary first: if the report cannot be written after all, the outcome is still on screen.
  io.out(summary(outcome.report));
  if (options.report) await writeReport(options.report, outcome);
  io.out(reportLocation(options.report));
  return exitCodeOf(outcome.report);
}

async function writeReport(file: string, outcome: RehearsalOutcome): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(outcome.report, null, 2)}\n`);
  const svg = renderReportSvg({
    series: outcome.load.series,
    weights: outcome.weights,
    phases: outcome.phases,
    writeStalls: outcome.writeStalls,
    maxWriteStallMs: outcome.report.maxWriteStallMs,
    title: `cutover rehearsal: ${outcome.report.plan} (${outcome.report.outcome})`,
  });
  await writeFile(svgBeside(file), svg);
}
