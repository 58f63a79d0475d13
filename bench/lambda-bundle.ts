/**
 * The Lambda bundles, one per workflow step (lambdas/steps/<step>.ts) and one per runbook workflow step
 * (lambdas/runbook/<step>.ts), built with the CDK stack's esbuild settings: each one's minified size,
 * what it is made of, and its cold init time in fresh Node processes.
 */
import { build, type Metafile } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { STEP_NAMES } from '../workflow/registry';
import { RUNBOOK_STEP_NAMES } from '../workflow/runbook/steps';

const ROOT = join(__dirname, '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
export const COLD_STARTS = 30;
/** Runs that time loading the SDK packages a step defers to its first call. */
export const SDK_RUNS = 5;

/** A Lambda function to measure: its step name and its entry file, as the CDK stack bundles it. */
export interface LambdaEntry {
  readonly step: string;
  readonly entry: string;
}

/** Every step function: the cutover workflow's (lib/step-lambdas.ts), then the runbook workflow's (lib/runbooks/). */
export const LAMBDA_ENTRIES: readonly LambdaEntry[] = [
  ...STEP_NAMES.map((step) => ({ step, entry: `lambdas/steps/${step}.ts` })),
  ...RUNBOOK_STEP_NAMES.map((step) => ({
    step,
    entry: `lambdas/runbook/${step.replace(/^runbook-/, '')}.ts`,
  })),
];

export interface Percentiles {
  readonly median: number;
  readonly p90: number;
}

export interface StepBundle extends LambdaEntry {
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The largest packages or source folders in the bundle, largest first. */
  readonly largest: readonly { readonly name: string; readonly bytes: number }[];
  /** The external @aws-sdk/* packages the bundle may load (on first use). */
  readonly sdkModules: readonly string[];
  /** @aws-sdk packages in the module cache once the bundle is loaded (deferred loading means none). */
  readonly sdkLoadedAtInit: readonly string[];
  /** Requiring the bundle in a fresh process, from the wrapper's first line. */
  readonly initMs: Percentiles;
  /** Node's own start-up before the wrapper runs. */
  readonly bootMs: Percentiles;
  /** Loading the step's SDK packages, which its first call that needs them pays (0 without any). */
  readonly sdkFirstUseMs: Percentiles;
}

/** The environment a step function gets from the stack, with Powertools quiet. */
const CHILD_ENV = {
  PATH: process.env['PATH'] ?? '',
  NODE_PATH: join(ROOT, 'node_modules'), // the Lambda runtime provides @aws-sdk/*; here it comes from the repo
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'cutover',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  CUTOVER_CONTROL_TABLE: 't',
  CUTOVER_EVENTS_TOPIC: 'arn:aws:sns:us-east-1:123456789012:t',
  CUTOVER_ALLOWED_ZONES: '[{"hostedZoneId":"Z0EXAMPLE","recordNames":["app.example.com"]}]',
};

/** Builds and measures every step's bundle, one after the other (the machine is shared). */
export async function measureStepBundles(log: (line: string) => void): Promise<StepBundle[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
  try {
    const results: StepBundle[] = [];
    for (const lambda of LAMBDA_ENTRIES) {
      results.push(await measureStep(lambda, dir));
      const r = results[results.length - 1]!;
      log(
        `  ${r.step}: ${r.bytes} bytes, init median ${r.initMs.median.toFixed(0)} ms, p90 ${r.initMs.p90.toFixed(0)} ms`,
      );
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Bundles step entries with the CDK stack's esbuild settings: into `outfile` (one entry) or into
 * `outdir` (several, in one esbuild call).
 */
export async function bundleSteps(
  entries: readonly string[],
  out: { readonly outfile: string } | { readonly outdir: string },
): Promise<Metafile> {
  const { metafile } = await build({
    absWorkingDir: ROOT,
    entryPoints: [...entries],
    ...out,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    external: ['@aws-sdk/*', 'pg-native'],
    metafile: true,
    logLevel: 'warning',
  });
  return metafile;
}

async function measureStep({ step, entry }: LambdaEntry, dir: string): Promise<StepBundle> {
  const outfile = join(dir, `${step}.js`);
  const metafile = await bundleSteps([entry], { outfile });
  const code = readFileSync(outfile);
  const output = Object.values(metafile.outputs)[0];
  if (!output) throw new Error('esbuild wrote no output');
  const sdkModules = [
    ...new Set(output.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path)),
  ];

  await child('cold', outfile); // warms the OS file cache; not counted
  const cold: ColdRun[] = [];
  for (let i = 0; i < COLD_STARTS; i += 1) cold.push((await child('cold', outfile)) as ColdRun);
  const split: SplitRun[] = [];
  for (let i = 0; sdkModules.length > 0 && i < SDK_RUNS; i += 1) {
    split.push((await child('split', outfile, JSON.stringify(sdkModules))) as SplitRun);
  }
  return {
    step,
    entry,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    largest: largest(metafile, 3),
    sdkModules,
    sdkLoadedAtInit: cold[0]?.sdkPackagesLoaded ?? [],
    initMs: percentiles(cold.map((r) => r.requireMs)),
    bootMs: percentiles(cold.map((r) => r.bootMs)),
    sdkFirstUseMs: split.length ? percentiles(split.map((r) => r.sdkTotalMs)) : { median: 0, p90: 0 },
  };
}

interface ColdRun {
  readonly bootMs: number;
  readonly requireMs: number;
  readonly sdkPackagesLoaded: readonly string[];
}

interface SplitRun {
  readonly sdkTotalMs: number;
}

/** Runs bench/cold-init.js in a fresh process and parses the JSON line it prints. */
async function child(mode: string, bundle: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(
    NODE,
    [join(__dirname, 'cold-init.js'), mode, bundle, ...args],
    {
      cwd: ROOT,
      env: CHILD_ENV,
    },
  );
  const line = stdout.trim().split('\n').pop();
  if (!line) throw new Error(`cold-init ${mode} printed nothing`);
  return JSON.parse(line) as unknown;
}

/** Median and p90 (nearest rank). */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { median: rank(0.5), p90: rank(0.9) };
}

/** Who owns an input file: the last node_modules package in its path, or its top directory here. */
function ownerOf(file: string): string {
  const packages = [...file.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  const last = packages[packages.length - 1];
  if (last?.[1]) return last[1];
  const dir = file.split('/')[0] ?? file;
  return file.includes('/') ? `./${dir}/` : file;
}

/** The `count` owners with the most bytes in the output. */
function largest(metafile: Metafile, count: number): { name: string; bytes: number }[] {
  const bytes = new Map<string, number>();
  const output = Object.values(metafile.outputs)[0];
  for (const [file, input] of Object.entries(output?.inputs ?? {})) {
    const owner = ownerOf(file);
    bytes.set(owner, (bytes.get(owner) ?? 0) + input.bytesInOutput);
  }
  return [...bytes]
    .map(([name, size]) => ({ name, bytes: size }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}
