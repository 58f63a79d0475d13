/**
 * The Lambda bundles' size budget (issue 7): every step's and every runbook function's minified bundle
 * stays within 150,000 bytes. Only the functions that validate a plan or a runbook carry zod, and then
 * zod/mini. Built with the bench's esbuild settings, which are the CDK stack's; sizes only, no timing.
 */
import type { Metafile } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { bundleSteps } from '../../bench/lambda-bundle';
import { RUNBOOK_STEP_NAMES } from '../../workflow/runbook/steps';

const BUDGET_BYTES = 150_000;
const LAMBDAS_DIR = join(__dirname, '..', '..', 'lambdas');
/** validate-plan reads the plan; each runbook step validates the runbook it is given. */
const ZOD_ALLOWED = new Set([
  'steps/validate-plan',
  ...RUNBOOK_STEP_NAMES.map((step) => `runbook/${step.replace(/^runbook-/, '')}`),
]);

/** One Lambda function's bundle, named by its entry under lambdas/ (e.g. `steps/validate-plan`). */
interface Bundle {
  readonly name: string;
  readonly bytes: number;
  readonly zodBytes: number;
  /** zod's classic API (chained methods), which weighs ~60 KB more than zod/mini. */
  readonly zodClassicBytes: number;
}

const stepEntries = readdirSync(join(LAMBDAS_DIR, 'steps'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `steps/${basename(file, '.ts')}`);
// The runbook functions' entries, as lib/runbooks/runbook-automation.ts names them.
const runbookEntries = RUNBOOK_STEP_NAMES.map((step) => `runbook/${step.replace(/^runbook-/, '')}`);
const entries = [...stepEntries, ...runbookEntries];

let bundles: Bundle[] = [];

beforeAll(async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cutover-bundle-budget-'));
  try {
    const metafile: Metafile = await bundleSteps(
      entries.map((entry) => `lambdas/${entry}.ts`),
      { outdir },
    );
    bundles = Object.entries(metafile.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, output]) => ({
        name: relative(outdir, join(__dirname, '..', '..', file)).replace(/\.js$/, ''),
        bytes: output.bytes,
        zodBytes: bytesFrom(output.inputs, 'node_modules/zod/'),
        zodClassicBytes: bytesFrom(output.inputs, 'node_modules/zod/v4/classic/'),
      }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  expect(bundles.map((b) => b.name).sort()).toEqual([...entries].sort());
}, 60_000);

test('there is a bundle per step and runbook entry, validate-plan among them', () => {
  expect(stepEntries.length).toBeGreaterThanOrEqual(20);
  expect(runbookEntries).toEqual([
    'runbook/prepare',
    'runbook/send-batch',
    'runbook/poll-batch',
    'runbook/finish',
  ]);
  expect(bundles.map((b) => b.name)).toContain('steps/validate-plan');
});

test('only validate-plan and the runbook functions contain zod', () => {
  const withZod = bundles.filter((b) => b.zodBytes > 0 && !ZOD_ALLOWED.has(b.name)).map((b) => b.name);
  expect(withZod).toEqual([]);
});

test('the plan and the runbooks are read with zod/mini, never zod classic', () => {
  const validators = bundles.filter((b) => ZOD_ALLOWED.has(b.name));
  expect(validators.map((b) => b.name).sort()).toEqual([...ZOD_ALLOWED].sort());
  expect(validators.filter((b) => b.zodBytes === 0).map((b) => b.name)).toEqual([]);
  expect(bundles.filter((b) => b.zodClassicBytes > 0).map((b) => b.name)).toEqual([]);
});

test(`every step and runbook bundle is at most ${BUDGET_BYTES} bytes`, () => {
  const over = bundles.filter((b) => b.bytes > BUDGET_BYTES).map((b) => `${b.name}: ${b.bytes} bytes`);
  expect(over).toEqual([]);
});

function bytesFrom(inputs: Metafile['outputs'][string]['inputs'], pathPart: string): number {
  return Object.entries(inputs)
    .filter(([input]) => input.includes(pathPart))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
}
