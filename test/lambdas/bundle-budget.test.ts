/**
 * The step bundles' size budget (issue 7): every step's minified bundle stays within 150,000 bytes, and
 * only validate-plan, the one step that reads the plan, carries zod (zod/mini). Built with the bench's esbuild
 * settings, which are the CDK stack's; sizes only, no timing.
 */
import type { Metafile } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { bundleSteps } from '../../bench/lambda-bundle';

const BUDGET_BYTES = 150_000;
const ZOD_ALLOWED = new Set(['validate-plan']);
const STEPS_DIR = join(__dirname, '..', '..', 'lambdas', 'steps');

interface Bundle {
  readonly step: string;
  readonly bytes: number;
  readonly zodBytes: number;
  /** zod's classic API (chained methods), which carries ~60 KB more than zod/mini. */
  readonly zodClassicBytes: number;
}

let bundles: Bundle[] = [];

beforeAll(async () => {
  const steps = readdirSync(STEPS_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => basename(file, '.ts'));
  const outdir = mkdtempSync(join(tmpdir(), 'cutover-bundle-budget-'));
  try {
    const metafile: Metafile = await bundleSteps(
      steps.map((step) => `lambdas/steps/${step}.ts`),
      { outdir },
    );
    bundles = Object.entries(metafile.outputs).map(([file, output]) => ({
      step: basename(file, '.js'),
      bytes: output.bytes,
      zodBytes: bytesFrom(output.inputs, 'node_modules/zod/'),
      zodClassicBytes: bytesFrom(output.inputs, 'node_modules/zod/v4/classic/'),
    }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  expect(bundles.map((b) => b.step).sort()).toEqual(steps.sort());
}, 60_000);

test('there is a bundle per step entry, validate-plan among them', () => {
  expect(bundles.length).toBeGreaterThanOrEqual(20);
  expect(bundles.map((b) => b.step)).toContain('validate-plan');
});

test('no step bundle but validate-plan contains zod', () => {
  const withZod = bundles.filter((b) => b.zodBytes > 0 && !ZOD_ALLOWED.has(b.step)).map((b) => b.step);
  expect(withZod).toEqual([]);
});

test('validate-plan reads the plan with zod/mini, not zod classic', () => {
  const validatePlan = bundles.find((b) => b.step === 'validate-plan');
  expect(validatePlan?.zodBytes).toBeGreaterThan(0);
  expect(validatePlan?.zodClassicBytes).toBe(0);
});

test(`every step bundle is at most ${BUDGET_BYTES} bytes`, () => {
  const over = bundles.filter((b) => b.bytes > BUDGET_BYTES).map((b) => `${b.step}: ${b.bytes} bytes`);
  expect(over).toEqual([]);
});

function bytesFrom(inputs: Metafile['outputs'][string]['inputs'], pathPart: string): number {
  return Object.entries(inputs)
    .filter(([input]) => input.includes(pathPart))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
}
