import { loadavg } from 'node:os';
import { COLD_STARTS, SDK_RUNS, type StepBundle } from './lambda-bundle';

export const BUNDLE_TARGETS = { bytes: 150_000, initP90Ms: 150 } as const;
export const BUNDLE_HEADING = '## Lambda bundles';

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;

/**
 * The BENCHMARKS.md section on the step bundles: one row per step function, with both targets judged;
 * `command` is the command line that measured them.
 */
export function renderBundleSection(
  bundles: readonly StepBundle[],
  loadBefore: readonly number[],
  command: string,
): string {
  const met = (b: StepBundle) => b.bytes <= BUNDLE_TARGETS.bytes && b.initMs.p90 <= BUNDLE_TARGETS.initP90Ms;
  const rows = bundles.map((b) =>
    row([
      b.step,
      kb(b.bytes),
      kb(b.gzipBytes),
      b.largest.map((l) => `${l.name} ${kb(l.bytes)}`).join(', '),
      ms(b.initMs.median),
      ms(b.initMs.p90),
      b.sdkLoadedAtInit.length,
      b.sdkModules.length ? `${b.sdkModules.length} (${ms(b.sdkFirstUseMs.median)})` : '—',
      met(b) ? '✅ met' : '❌ missed',
    ]),
  );
  const worst = (pick: (b: StepBundle) => number) => Math.max(...bundles.map(pick));
  const load = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(' / ');
  return [
    BUNDLE_HEADING,
    '',
    `Measured by \`${command}\`.`,
    '',
    'One bundle per step function: the cutover workflow’s (lambdas/steps/<step>.ts) and the runbook',
    'workflow’s (lambdas/runbook/<step>.ts, the runbook-* rows), built with the CDK stack’s settings',
    '(lib/step-lambdas.ts, lib/runbooks/): esbuild, `platform: node`, `target: node24`, CommonJS, minified,',
    '`@aws-sdk/*` and `pg-native` external (the Lambda runtime provides the SDK). 1 KB = 1,000 bytes.',
    `Targets: every bundle ≤ ${kb(BUNDLE_TARGETS.bytes)} minified, cold init p90 ≤ ${BUNDLE_TARGETS.initP90Ms} ms.`,
    '',
    `Cold init: ${COLD_STARTS} fresh processes per step (\`node_modules/.bin/node\`, ${process.version}) run`,
    'bench/cold-init.js, which records `process.hrtime` on its first line, requires the bundle and prints',
    'the time taken; the step functions’ environment is set, and @aws-sdk/* resolves from the',
    'repository’s node_modules through NODE_PATH, as it would from the runtime’s. One run before them,',
    'not counted, warms the OS file cache. Each port loads its adapter and SDK package on its first call',
    '(lambdas/wiring/), so no SDK package loads at init; the “SDK on first use” column is what that first',
    `call pays instead: the median over ${SDK_RUNS} fresh processes of requiring the step’s SDK packages.`,
    'Measured on this machine’s CPU, not on a 256 MB arm64 Lambda (which has a fraction of a vCPU but',
    'a boosted CPU during init).',
    '',
    `This machine is shared: load average (1/5/15 min) ${load(loadBefore)} before the run, ${load(loadavg())} after.`,
    '',
    row([
      'Step',
      'Minified',
      'Gzipped',
      'Largest parts',
      'Init median',
      'Init p90',
      'SDK at init',
      'SDK on first use (packages, median)',
      'Targets',
    ]),
    row(Array.from({ length: 9 }, () => '---')),
    ...rows,
    '',
    `Largest bundle ${kb(worst((b) => b.bytes))}; slowest init p90 ${ms(worst((b) => b.initMs.p90))}; ` +
      `${bundles.filter(met).length} of ${bundles.length} step functions meet both targets.`,
    ...identicalBundles(bundles),
    '',
    'Choices that keep the bundles small: zod is only in validate-plan, which parses the plan, and in',
    'the runbook functions, which validate the runbook they are given; both schemas are written with',
    'zod/mini (about 36 KB with zod’s English messages), not zod classic (about 98 KB, which put',
    'validate-plan at 163.2 KB and the runbook functions at 161.7 KB). The other steps read their small,',
    'machine-made inputs with workflow/input.ts. Powertools Logger is',
    'kept; Powertools Tracer is not (aws-xray-sdk-core, semver and cls-hooked: about 110 KB, which no',
    'bundle could carry within 150 KB): the functions keep active tracing, so X-Ray still records every',
    'invocation, without subsegments per AWS call. Powertools Metrics is not kept either (11 KB): each step',
    'is its own function, so Lambda’s own Invocations and Errors metrics count each step’s successes and',
    'failures. The database steps import pg’s client module rather than its index (no pool, no native',
    'loader: 16 KB less). test/lambdas/bundle-budget.test.ts holds these sizes in `npm test`: only',
    'validate-plan and the runbook functions may carry zod, never zod classic, and every bundle stays',
    'within 150,000 bytes.',
  ].join('\n');
}

/** Steps whose bundles are byte-identical measure the same code: their spread is the machine's load. */
function identicalBundles(bundles: readonly StepBundle[]): string[] {
  const groups = new Map<string, StepBundle[]>();
  for (const b of bundles)
    groups.set(`${b.bytes}/${b.gzipBytes}`, [...(groups.get(`${b.bytes}/${b.gzipBytes}`) ?? []), b]);
  return [...groups.values()]
    .filter((group) => group.length > 1)
    .map((group) => {
      const p90s = group.map((b) => b.initMs.p90);
      return (
        `Same bundle, ${group.map((b) => b.step).join(', ')}: init p90 from ${ms(Math.min(...p90s))} to ` +
        `${ms(Math.max(...p90s))}, the spread of this machine's load rather than of the code.`
      );
    })
    .flatMap((line) => ['', line]);
}
