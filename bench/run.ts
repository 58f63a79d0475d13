/**
 * `npm run bench`: measures what a cutover costs on AWS, what each step's Lambda bundle weighs and
 * costs to load, and a rehearsal under load, then writes BENCHMARKS.md. See DESIGN.md, "Performance,
 * measured not guessed". `npm run bench -- bundles` measures only the bundles and rewrites only their
 * section, `npm run bench -- cpu-burner` only the rehearsal next to a CPU burner (the machine is shared:
 * run the part you need).
 */
import '../local/lambda-environment';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { measureRehearsal, renderRehearsalSection } from './rehearsal-bench';
import { BUNDLE_HEADING, renderBundleSection } from './bundle-report';
import { replaceSection, sectionOf } from './markdown-section';
import {
  CPU_BURNER_HEADING,
  measureBesideCpuBurner,
  renderCpuBurnerSection,
} from './rehearsal-beside-cpu-burner';
import { measureTableSizes, renderTableSizeSection, TABLE_SIZE_HEADING } from './table-size';
import { measureStepBundles } from './lambda-bundle';
import {
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

const PARTS = ['all', 'bundles', 'cpu-burner', 'table-size'] as const;

async function main(): Promise<void> {
  const part = process.argv[2] ?? 'all';
  if (!PARTS.includes(part as (typeof PARTS)[number])) {
    process.stderr.write(`bench: unknown part "${part}"; expected one of ${PARTS.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  /** A part run on its own rewrites only its section of BENCHMARKS.md. */
  const rewrite = (heading: string, section: string, name: string) => {
    writeFileSync(OUTPUT, replaceSection(readFileSync(OUTPUT, 'utf8'), heading, section));
    log(`rewrote the ${name} section of ${OUTPUT} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  };
  if (part === 'table-size') {
    const loadBefore = loadavg();
    rewrite(
      TABLE_SIZE_HEADING,
      renderTableSizeSection(await measureTableSizes(log), loadBefore),
      'table-size',
    );
    return;
  }
  if (part === 'bundles') {
    log('lambda bundles: esbuild, then cold starts, step by step…');
    const loadBefore = loadavg();
    const section = renderBundleSection(
      await measureStepBundles(log),
      loadBefore,
      'npm run bench -- bundles',
    );
    rewrite(BUNDLE_HEADING, section, 'bundle');
    return;
  }
  if (part === 'cpu-burner') {
    rewrite(CPU_BURNER_HEADING, renderCpuBurnerSection(await measureBesideCpuBurner(log)), 'CPU burner');
    return;
  }
  log(`workflow cost: synthesizing the state machine, then each case ${RUNS_PER_CASE} times…`);
  const cost = await measureWorkflowCost(log);
  log('lambda bundles: esbuild, then cold starts, step by step…');
  const loadBefore = loadavg();
  const bundle = renderBundleSection(await measureStepBundles(log), loadBefore, 'npm run bench');
  const rehearsal = await measureRehearsal(log);
  const burner = renderCpuBurnerSection(await measureBesideCpuBurner(log));
  const seconds = (performance.now() - started) / 1000;
  // The table-size part is measured on its own (`npm run bench -- table-size`): keep its last figures.
  const written = `${report(machine(), new Date(), seconds, cost, bundle).trimEnd()}\n\n${renderRehearsalSection(rehearsal)}\n${burner}\n`;
  const tableSize = sectionOf(readFileSync(OUTPUT, 'utf8'), TABLE_SIZE_HEADING);
  writeFileSync(OUTPUT, tableSize ? replaceSection(written, TABLE_SIZE_HEADING, tableSize) : written);
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
const pass = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

function first(result: CostResult | undefined): CostRun {
  const run = result?.runs[0];
  if (!run) throw new Error('a cost case has no runs');
  return run;
}

function report(m: Machine, date: Date, seconds: number, cost: CostMeasurement, bundle: string): string {
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
    bundle,
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

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
