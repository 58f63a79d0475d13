/**
 * The Lambda bundle every step function shares (lambdas/handlers.ts, one export per step), built with
 * the CDK stack's esbuild settings: its minified size, what it is made of, and its cold init time in
 * fresh Node processes.
 */
import { build, type Metafile } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const ROOT = join(__dirname, '..');
const ENTRY = 'lambdas/handlers.ts';
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
export const COLD_STARTS = 15;

export interface Contributor {
  /** A package name, or `./<dir>/` for this repository's sources. */
  readonly name: string;
  readonly bytes: number;
  /** The import chain that brings a package in, from the nearest repository file. */
  readonly via: string;
}

export interface Percentiles {
  readonly median: number;
  readonly p90: number;
}

export interface BundleResult {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly contributors: readonly Contributor[];
  /** The external @aws-sdk/* packages the bundle requires when it loads, in order. */
  readonly sdkModules: readonly string[];
  /** Every @aws-sdk package (dependencies included) loaded once the bundle is required. */
  readonly sdkPackagesLoadedAtInit: readonly string[];
  readonly coldStarts: number;
  /** Requiring the bundle, from the wrapper's first line. */
  readonly initMs: Percentiles;
  /** Node's own start-up before the wrapper runs. */
  readonly bootMs: Percentiles;
  readonly sinceProcessStartMs: Percentiles;
  /** Attribution runs: the external SDK modules required first, then the bundle's own code. */
  readonly sdkMs: Percentiles;
  readonly ownMs: Percentiles;
  readonly sdkModuleMs: Readonly<Record<string, number>>;
  readonly lazy: LazyCheck;
}

export interface LazyCheck {
  /** SDK clients constructed while the bundle loaded (lazy construction means none). */
  readonly atInit: readonly string[];
  readonly afterFirstInvoke: readonly string[];
  readonly firstInvokeMs: number;
  readonly secondInvokeMs: number;
}

/** The environment a step function gets from the stack, with Powertools quiet. */
const CHILD_ENV = {
  PATH: process.env['PATH'] ?? '',
  NODE_PATH: join(ROOT, 'node_modules'), // the Lambda runtime provides @aws-sdk/*; here it comes from the repo
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'cutover',
  POWERTOOLS_METRICS_NAMESPACE: 'Cutover',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  CUTOVER_STEP: 'validate-plan',
  CUTOVER_CONTROL_TABLE: 't',
  CUTOVER_EVENTS_TOPIC: 'arn:aws:sns:us-east-1:123456789012:t',
  CUTOVER_ALLOWED_ZONES: '[{"hostedZoneId":"Z0EXAMPLE","recordNames":["app.example.com"]}]',
};

export async function measureLambdaBundle(
  invokeEvent: unknown,
  log: (line: string) => void,
): Promise<BundleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
  try {
    const outfile = join(dir, 'handlers.js');
    const { metafile } = await build({
      absWorkingDir: ROOT,
      entryPoints: [ENTRY],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      minify: true,
      external: ['@aws-sdk/*', 'pg-native'],
      metafile: true,
      logLevel: 'warning',
    });
    const code = readFileSync(outfile);
    const output = Object.values(metafile.outputs)[0];
    if (!output) throw new Error('esbuild wrote no output');
    const sdkModules = [
      ...new Set(
        output.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path),
      ),
    ];
    log(`  bundle: ${code.length} bytes; ${COLD_STARTS} cold starts…`);

    await child('cold', outfile); // warms the OS file cache; not counted
    const cold: ColdRun[] = [];
    for (let i = 0; i < COLD_STARTS; i += 1) cold.push((await child('cold', outfile)) as ColdRun);
    log(`  ${COLD_STARTS} attribution runs (SDK modules first)…`);
    const split: SplitRun[] = [];
    for (let i = 0; i < COLD_STARTS; i += 1) {
      split.push((await child('split', outfile, JSON.stringify(sdkModules))) as SplitRun);
    }
    const lazy = (await child(
      'lazy',
      outfile,
      JSON.stringify(sdkModules),
      JSON.stringify(invokeEvent),
    )) as LazyCheck;

    return {
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      contributors: contributors(metafile),
      sdkModules,
      sdkPackagesLoadedAtInit: cold[0]?.sdkPackagesLoaded ?? [],
      coldStarts: COLD_STARTS,
      initMs: percentiles(cold.map((r) => r.requireMs)),
      bootMs: percentiles(cold.map((r) => r.bootMs)),
      sinceProcessStartMs: percentiles(cold.map((r) => r.sinceProcessStartMs)),
      sdkMs: percentiles(split.map((r) => r.sdkTotalMs)),
      ownMs: percentiles(split.map((r) => r.ownMs)),
      sdkModuleMs: Object.fromEntries(
        sdkModules.map((name) => [name, percentiles(split.map((r) => r.sdkMs[name] ?? 0)).median]),
      ),
      lazy,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ColdRun {
  readonly bootMs: number;
  readonly requireMs: number;
  readonly sinceProcessStartMs: number;
  readonly sdkPackagesLoaded: readonly string[];
}

interface SplitRun {
  readonly sdkMs: Readonly<Record<string, number>>;
  readonly sdkTotalMs: number;
  readonly ownMs: number;
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

/** Bytes in the output per owner, largest first, with the chain that imports each package. */
function contributors(metafile: Metafile): Contributor[] {
  const parent = importTree(metafile);
  const bytes = new Map<string, number>();
  const firstFile = new Map<string, string>();
  for (const file of parent.keys()) {
    const owner = ownerOf(file);
    if (!firstFile.has(owner)) firstFile.set(owner, file);
  }
  const output = Object.values(metafile.outputs)[0];
  for (const [file, input] of Object.entries(output?.inputs ?? {})) {
    const owner = ownerOf(file);
    bytes.set(owner, (bytes.get(owner) ?? 0) + input.bytesInOutput);
  }
  return [...bytes]
    .map(([name, size]) => ({ name, bytes: size, via: importChain(firstFile.get(name), parent) }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** Breadth-first from the entry: each file's importer on a shortest path (insertion order = BFS order). */
function importTree(metafile: Metafile): Map<string, string | undefined> {
  const parent = new Map<string, string | undefined>([[ENTRY, undefined]]);
  const queue = [ENTRY];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || parent.has(imported.path)) continue;
      parent.set(imported.path, file);
      queue.push(imported.path);
    }
  }
  return parent;
}

/** "workflow/step.ts → zod": the nearest repository file, then each package on the way. */
function importChain(file: string | undefined, parent: Map<string, string | undefined>): string {
  if (!file || !file.includes('node_modules/')) return '';
  const chain: string[] = [];
  for (let at: string | undefined = file; at !== undefined; at = parent.get(at)) {
    if (!at.includes('node_modules/')) {
      chain.unshift(at);
      break;
    }
    const owner = ownerOf(at);
    if (chain[0] !== owner) chain.unshift(owner);
  }
  return chain.join(' → ');
}
