/**
 * `npm run bench`: measures what a cutover costs on AWS and what the Lambda bundle weighs and costs to
 * load, then writes BENCHMARKS.md. See DESIGN.md, "Performance, measured not guessed".
 */
import '../local/lambda-environment';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatePlan } from '../domain/plan/validate';
import { measureRehearsal, renderRehearsalSection } from './rehearsal-bench';
import { COLD_STARTS, measureLambdaBundle, type BundleResult, type Percentiles } from './lambda-bundle';
import {
  benchPlan,
  measureWorkflowCost,
  RUNS_PER_CASE,
  USD_PER_TRANSITION,
  type CostMeasurement,
  type CostResult,
  type CostRun,
} from './workflow-cost';

const OUTPUT = join(__dirname, '..', 'BENCHMARKS.md');
const TARGETS = {
  historyEvents24h: 2000,
  historyLimit: 25_000,
  transitionsWithDatabase: 150,
  usdWithDatabase: 0.004,
  bundleBytes: 300_000,
  initMs: 150,
};
/** Route 53: changes generally propagate to all its name servers within 60 s (then INSYNC). */
const INSYNC_SECONDS = 60;
/** One more poll: Wait (2 events), the check Task (5), the Choice (2). */
const POLL = { transitions: 3, historyEvents: 9 };

interface Machine {
  readonly nproc: string;
  readonly cpu: string;
  readonly node: string;
  readonly memoryGiB: string;
}

async function main(): Promise<void> {
  const started = performance.now();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`workflow cost: synthesizing the state machine, then each case ${RUNS_PER_CASE} times…`);
  const cost = await measureWorkflowCost(log);
  log('lambda bundle: esbuild, then cold starts…');
  const event = {
    plan: validatePlan(benchPlan({ database: true, bake: '5m', probeInterval: '10s' })).plan,
    execution: 'arn:aws:states:us-east-1:123456789012:execution:CutoverWorkflow:bench',
  };
  const bundle = await measureLambdaBundle(event, log);
  const rehearsal = await measureRehearsal(log);
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(
    OUTPUT,
    `${report(machine(), new Date(), seconds, cost, bundle).trimEnd()}\n\n${renderRehearsalSection(rehearsal)}`,
  );
  log(`wrote ${OUTPUT} (${seconds.toFixed(0)} s)`);
  if (cost.results.some((c) => !c.deterministic)) {
    log('WARNING: counts differed between runs of the same case (see BENCHMARKS.md)');
  }
}

function machine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  return {
    nproc: execFileSync('nproc', { encoding: 'utf8' }).trim(),
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    node: process.version,
    memoryGiB: (memKiB / 1024 ** 2).toFixed(1),
  };
}

// ---- formatting ----

const int = (n: number) => n.toLocaleString('en-US');
const usd = (n: number) => `$${n.toFixed(5)}`;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const pass = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

function first(result: CostResult | undefined): CostRun {
  const run = result?.runs[0];
  if (!run) throw new Error('a cost case has no runs');
  return run;
}

function report(
  m: Machine,
  date: Date,
  seconds: number,
  cost: CostMeasurement,
  bundle: BundleResult,
): string {
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); re-run it rather than editing this file.',
    '',
    '- Command: `npm run bench` (`node -r ./bin/register.js bench/run.ts`)',
    `- Date: ${date.toISOString()}`,
    `- Machine: \`nproc\` = ${m.nproc}, CPU ${m.cpu}, ${m.memoryGiB} GiB RAM, Node ${m.node}`,
    `- Whole run: ${seconds.toFixed(0)} s`,
    '',
    costSection(cost),
    '',
    bundleSection(bundle),
    '',
  ].join('\n');
}

function costSection({ results, pollSeconds }: CostMeasurement): string {
  const byLabel = (database: boolean, bake: string) =>
    results.find((r) => r.case.database === database && r.case.bake === bake);
  const db5 = first(byLabel(true, '5m'));
  const db24 = first(byLabel(true, '24h'));
  const app5 = first(byLabel(false, '5m'));
  const app24 = first(byLabel(false, '24h'));
  /** The run as it would go on AWS if every Route 53 change took INSYNC_SECONDS to be INSYNC. */
  const slowInSync = (run: CostRun) => {
    const polls = run.states
      .filter((s) => /^Check.*InSync$/.test(s))
      .reduce((sum, check) => sum + Math.ceil(INSYNC_SECONDS / intervalOf(pollSeconds, check)), 0);
    return {
      polls,
      transitions: run.transitions + polls * POLL.transitions,
      historyEvents: run.historyEvents + polls * POLL.historyEvents,
    };
  };
  const slow = slowInSync(db24);

  const metrics = table(
    ['Per cutover', ...results.map((r) => r.case.label)],
    [
      ['State transitions (billed)', ...results.map((r) => int(first(r).transitions))],
      ['History events (estimated)', ...results.map((r) => int(first(r).historyEvents))],
      [
        'Cost at $0.025 / 1,000 transitions',
        ...results.map((r) => usd(first(r).transitions * USD_PER_TRANSITION)),
      ],
      [`Identical in all ${RUNS_PER_CASE} runs`, ...results.map((r) => (r.deterministic ? 'yes' : '**NO**'))],
      [
        `If every Route 53 change took ${INSYNC_SECONDS} s to be INSYNC: extra polls`,
        ...results.map((r) => slowInSync(first(r)).polls),
      ],
      [
        '… then transitions / history events / cost',
        ...results.map((r) => {
          const aws = slowInSync(first(r));
          return `${int(aws.transitions)} / ${int(aws.historyEvents)} / ${usd(aws.transitions * USD_PER_TRANSITION)}`;
        }),
      ],
      [
        'Health rounds run by the watcher (outside the state machine)',
        ...results.map((r) => r.runs.map((run) => run.healthRounds).join(', ')),
      ],
      ['Wall time per run', ...results.map((r) => r.runs.map((run) => ms(run.wallMs)).join(', '))],
    ],
  );
  const nonDeterministic = results.filter((r) => !r.deterministic);
  const withinBudget = (t: number) =>
    t <= TARGETS.transitionsWithDatabase && t * USD_PER_TRANSITION < TARGETS.usdWithDatabase;
  const targets = table(
    ['Target', 'Measured', 'Result'],
    [
      [
        'History does not grow with bake length',
        `with database ${int(db5.historyEvents)} (5 min) vs ${int(db24.historyEvents)} (24 h); app only ${int(app5.historyEvents)} vs ${int(app24.historyEvents)}`,
        pass(db5.historyEvents === db24.historyEvents && app5.historyEvents === app24.historyEvents),
      ],
      [
        `A 24 h bake stays under ${int(TARGETS.historyEvents24h)} history events (hard limit ${int(TARGETS.historyLimit)})`,
        `${int(db24.historyEvents)}`,
        pass(db24.historyEvents < TARGETS.historyEvents24h),
      ],
      [
        `… and with ${INSYNC_SECONDS} s INSYNC on every change`,
        `${int(slow.historyEvents)}`,
        pass(slow.historyEvents < TARGETS.historyEvents24h),
      ],
      [
        `≤ ${TARGETS.transitionsWithDatabase} transitions for the 4-step plan with database (< $${TARGETS.usdWithDatabase})`,
        `${db24.transitions} (${usd(db24.transitions * USD_PER_TRANSITION)})`,
        pass(withinBudget(db24.transitions)),
      ],
      [
        `… and with ${INSYNC_SECONDS} s INSYNC on every change`,
        `${slow.transitions} (${usd(slow.transitions * USD_PER_TRANSITION)})`,
        pass(withinBudget(slow.transitions)),
      ],
    ],
  );
  const intervals = Object.entries(pollSeconds)
    .map(([check, seconds]) => `${check} every ${seconds} s`)
    .join(', ');
  return [
    '## Cost on AWS: state transitions and history events per cutover',
    '',
    'The state machine synthesized from the CDK stack (`synthesizeWorkflowDefinition`) runs locally on',
    'aws-local-stepfunctions, every Task going to the real step handler with in-memory ports',
    '(`startLocalExecution`). Plan: steps [1, 10, 50, 100], one weighted record, deploy `none`, healthy',
    'probes; "App + PostgreSQL" adds a logical-replication switchover (approval `none`, lag 0, data',
    'verifies clean). Transitions are the states entered plus retries; history events apply AWS’s event',
    'model per state type to the local events (an estimate: AWS does not publish an exact formula).',
    'A virtual clock (`ports.now`) makes each bake last about 1 s of real time whatever its length, with',
    'probes every 10 s for 5 min bakes and every 10 min for 24 h bakes; Wait states last 0 ms.',
    `Each case ran ${RUNS_PER_CASE} times; the counts are those of the first run.`,
    '',
    metrics,
    '',
    targets,
    '',
    'Locally every Route 53 change is INSYNC at the first check, every deploy is complete and the',
    'replication is caught up at once: the figures above are the least a cutover costs. Each further poll',
    `costs ${POLL.transitions} transitions and ${POLL.historyEvents} history events (Wait, check Task, Choice). The definition polls`,
    `${intervals}. Route 53 says changes generally propagate within ${INSYNC_SECONDS} s; the rows "If every Route 53 change`,
    `took ${INSYNC_SECONDS} s" add ceil(${INSYNC_SECONDS} s / interval) polls per change waited on. Catching up a`,
    'lagging replica or a slow deploy would add polls the same way.',
    '',
    nonDeterministic.length === 0
      ? `The counts were identical in all ${RUNS_PER_CASE} runs of every case: they do not depend on timing.`
      : `**Counts differed between runs** for: ${nonDeterministic.map((r) => r.case.label).join(', ')}.`,
    '',
    `States entered (App + PostgreSQL, 24 h bakes): ${stateCounts(db24.states)}.`,
  ].join('\n');
}

function intervalOf(pollSeconds: Readonly<Record<string, number>>, check: string): number {
  const seconds = pollSeconds[check];
  if (!seconds) throw new Error(`no poll interval for ${check} in the definition`);
  return seconds;
}

function stateCounts(states: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, n]) => (n > 1 ? `${state} ×${n}` : state)).join(', ');
}

function bundleSection(b: BundleResult): string {
  const totalListed = b.contributors.reduce((sum, c) => sum + c.bytes, 0);
  const top = b.contributors.slice(0, 12);
  const share = (bytes: number) => `${((100 * bytes) / b.bytes).toFixed(1)} %`;
  const contributors = table(
    ['Package / sources', 'Bytes in bundle', 'Share', 'Pulled in by (one import chain)'],
    [
      ...top.map((c) => [c.name, int(c.bytes), share(c.bytes), c.via || '—']),
      [
        `${b.contributors.length - top.length} more packages and directories`,
        int(totalListed - top.reduce((sum, c) => sum + c.bytes, 0)),
        share(totalListed - top.reduce((sum, c) => sum + c.bytes, 0)),
        '',
      ],
      ['esbuild runtime and module wrappers', int(b.bytes - totalListed), share(b.bytes - totalListed), ''],
    ],
  );
  const pct = (p: Percentiles) => [ms(p.median), ms(p.p90)];
  const init = table(
    ['Fresh process', 'Median', 'p90', 'Target', 'Result'],
    [
      [
        'Require the bundle (init)',
        ...pct(b.initMs),
        `≤ ${TARGETS.initMs} ms (p90)`,
        pass(b.initMs.p90 <= TARGETS.initMs),
      ],
      ['Node start-up before it', ...pct(b.bootMs), '', ''],
      ['Process start → bundle loaded', ...pct(b.sinceProcessStartMs), '', ''],
      [`Of which: the ${b.sdkModules.length} external @aws-sdk/* packages`, ...pct(b.sdkMs), '', ''],
      ['Of which: the bundle’s own code', ...pct(b.ownMs), '', ''],
    ],
  );
  const sdk = table(
    ['@aws-sdk package (in load order)', 'Median ms'],
    Object.entries(b.sdkModuleMs).map(([name, value]) => [name, value.toFixed(1)]),
  );
  const sdkShare = b.sdkMs.median / (b.sdkMs.median + b.ownMs.median);
  const [largest, second, third] = b.contributors;
  const lazy = b.lazy;
  return [
    '## Lambda bundle',
    '',
    'All step functions share one bundle, lambdas/handlers.ts (each function’s handler is one export),',
    'built with the CDK stack’s settings (lib/step-functions.ts): esbuild, `platform: node`,',
    '`target: node24`, CommonJS, minified, `@aws-sdk/*` and `pg-native` external (the Lambda runtime',
    'provides the SDK). 1 KB = 1,000 bytes.',
    '',
    table(
      ['Bundle', 'Minified', 'Gzipped', 'Target', 'Result'],
      [
        [
          'lambdas/handlers.ts',
          `${kb(b.bytes)} (${int(b.bytes)} bytes)`,
          kb(b.gzipBytes),
          '≤ 300 KB',
          pass(b.bytes <= TARGETS.bundleBytes),
        ],
      ],
    ),
    '',
    contributors,
    '',
    largest && second && third
      ? `The three largest contributors (${largest.name}, ${second.name}, ${third.name}) make up ${share(largest.bytes + second.bytes + third.bytes)} of the bundle.`
      : '',
    '',
    '### Cold init',
    '',
    `${COLD_STARTS} fresh processes (\`node_modules/.bin/node\`, ${process.version}) run bench/cold-init.js, which records`,
    '`process.hrtime` on its first line, requires the bundle from a temporary directory and prints the',
    'time taken; the step functions’ environment is set (AWS_REGION, quiet Powertools, CUTOVER_*), and',
    '@aws-sdk/* resolves from the repository’s node_modules through NODE_PATH, as it would from the',
    'runtime’s. One run before them, not counted, warms the OS file cache. A second series of',
    `${COLD_STARTS} requires the external SDK packages first, then the bundle, to split the time.`,
    'Measured on this machine’s CPU, not on a 256 MB arm64 Lambda, which has a fraction of a vCPU.',
    '',
    init,
    '',
    sdk,
    '',
    `The external SDK packages take ${(100 * sdkShare).toFixed(0)} % of the init time (the first one listed also loads`,
    'the SDK core every client shares): they are not in the bundle, but the runtime still loads them at init.',
    '',
    'Are the SDK clients constructed lazily (lambdas/aws-ports.ts)? A third fresh process wraps every',
    'exported `…Client` class of the SDK packages to record constructions, requires the bundle, then',
    'invokes the `validatePlan` export twice with the benchmark plan:',
    '',
    `- while the bundle loads: ${lazy.atInit.length === 0 ? '**no client is constructed** (lazy construction holds)' : `**clients are constructed**: ${lazy.atInit.join(', ')}`};`,
    `- but the bundle’s top-level imports load ${b.sdkPackagesLoadedAtInit.length} @aws-sdk packages at init: ${b.sdkPackagesLoadedAtInit.join(', ')};`,
    `- the first invocation constructs ${lazy.afterFirstInvoke.length ? lazy.afterFirstInvoke.join(', ') : 'no client'} and takes ${ms(lazy.firstInvokeMs)}; the second takes ${ms(lazy.secondInvokeMs)}.`,
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
