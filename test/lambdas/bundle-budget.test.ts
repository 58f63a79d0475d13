/**
 * The Lambda bundles' size budget (issue 7): every step's and every runbook function's minified bundle
 * stays within 150,000 bytes. Only the functions that validate a plan or a runbook carry zod, and then
 * zod/mini. Built with the bench's esbuild settings, which are the CDK stack's; sizes only, no timing.
 */
import type { Metafile } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleSteps, LAMBDA_ENTRIES } from '../../bench/lambda-bundle';
import { RUNBOOK_STEP_NAMES } from '../../workflow/runbook/steps';

const BUDGET_BYTES = 150_000;
/** validate-plan reads the plan; each runbook step validates the runbook it is given. */
const ZOD_ALLOWED = new Set<string>(['validate-plan', ...RUNBOOK_STEP_NAMES]);

/** One Lambda function's bundle. */
interface Bundle {
  readonly step: string;
  readonly bytes: number;
  readonly zodBytes: number;
  /** zod's classic API (chained methods), which weighs ~60 KB more than zod/mini. */
  readonly zodClassicBytes: number;
}

let bundles: Bundle[] = [];

beforeAll(async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cutover-bundle-budget-'));
  try {
    const metafile: Metafile = await bundleSteps(
      LAMBDA_ENTRIES.map((lambda) => lambda.entry),
      { outdir },
    );
    bundles = Object.values(metafile.outputs)
      .filter((output) => output.entryPoint !== undefined)
      .map((output) => ({
        step:
          LAMBDA_ENTRIES.find((lambda) => lambda.entry === output.entryPoint)?.step ??
          `${output.entryPoint}?`,
        bytes: output.bytes,
        zodBytes: bytesFrom(output.inputs, 'node_modules/zod/'),
        zodClassicBytes: bytesFrom(output.inputs, 'node_modules/zod/v4/classic/'),
      }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  expect(bundles.map((b) => b.step).sort()).toEqual(LAMBDA_ENTRIES.map((lambda) => lambda.step).sort());
}, 60_000);

test('every entry under lambdas/steps and lambdas/runbook is measured, validate-plan among them', () => {
  const entries = ['steps', 'runbook'].flatMap((dir) =>
    readdirSync(join(__dirname, '..', '..', 'lambdas', dir))
      .filter((file) => file.endsWith('.ts') && file !== 'aws-runbook-ports.ts')
      .map((file) => `lambdas/${dir}/${file}`),
  );
  expect(LAMBDA_ENTRIES.map((lambda) => lambda.entry).sort()).toEqual(entries.sort());
  expect(entries.length).toBeGreaterThanOrEqual(24);
  expect(bundles.map((b) => b.step)).toContain('validate-plan');
});

test('only validate-plan and the runbook functions contain zod', () => {
  const withZod = bundles.filter((b) => b.zodBytes > 0 && !ZOD_ALLOWED.has(b.step)).map((b) => b.step);
  expect(withZod).toEqual([]);
});

test('the plan and the runbooks are read with zod/mini, never zod classic', () => {
  const validators = bundles.filter((b) => ZOD_ALLOWED.has(b.step));
  expect(validators.map((b) => b.step).sort()).toEqual([...ZOD_ALLOWED].sort());
  expect(validators.filter((b) => b.zodBytes === 0).map((b) => b.step)).toEqual([]);
  expect(bundles.filter((b) => b.zodClassicBytes > 0).map((b) => b.step)).toEqual([]);
});

test(`every step and runbook bundle is at most ${BUDGET_BYTES} bytes`, () => {
  const over = bundles.filter((b) => b.bytes > BUDGET_BYTES).map((b) => `${b.step}: ${b.bytes} bytes`);
  expect(over).toEqual([]);
});

function bytesFrom(inputs: Metafile['outputs'][string]['inputs'], pathPart: string): number {
  return Object.entries(inputs)
    .filter(([input]) => input.includes(pathPart))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
}
