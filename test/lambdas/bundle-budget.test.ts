/**
 * The step bundles' size budget (issue 7): every step's minified bundle stays within 150,000 bytes, and
 * only validate-plan, the one step that reads the plan, carries zod. Built with the bench's esbuild
 * settings, which are the CDK stack's; sizes only, no timing.
 */
import type { Metafile } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { bundleSteps } from '../../bench/lambda-bundle';

const BUDGET_BYTES = 150_000;
/**
 * Known overruns, each with a ceiling just above its measured size (162,154 bytes on 2026-11-30, plus
 * under 1 KB for shared constants) so it cannot really grow: validate-plan carries zod classic (98 KB)
 * for the plan schema; porting that schema to zod/mini is what brings it under budget (see
 * BENCHMARKS.md). Delete the entry once it fits. Issue 8's plan field `database.*.operatorTimeout`
 * (schema entry and the worst-case rule reading it) brought it to 163,163 bytes, hence 163,200.
 */
const OVER_BUDGET_CEILING: Readonly<Record<string, number>> = { 'validate-plan': 163_200 };
const ZOD_ALLOWED = new Set(['validate-plan']);
const STEPS_DIR = join(__dirname, '..', '..', 'lambdas', 'steps');

interface Bundle {
  readonly step: string;
  readonly bytes: number;
  readonly zodBytes: number;
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
      zodBytes: Object.entries(output.inputs)
        .filter(([input]) => input.includes('node_modules/zod/'))
        .reduce((sum, [, input]) => sum + input.bytesInOutput, 0),
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

test(`every step bundle is at most ${BUDGET_BYTES} bytes, known overruns at most their ceiling`, () => {
  const over = bundles
    .filter((b) => b.bytes > (OVER_BUDGET_CEILING[b.step] ?? BUDGET_BYTES))
    .map((b) => `${b.step}: ${b.bytes} bytes`);
  expect(over).toEqual([]);
});

test('a known overrun is still over budget (else its ceiling entry must go)', () => {
  const fitting = bundles
    .filter((b) => b.step in OVER_BUDGET_CEILING && b.bytes <= BUDGET_BYTES)
    .map((b) => b.step);
  expect(fitting).toEqual([]);
});
