/**
 * `npm run bench:platform`: how long an offline synth of the example environments takes (3
 * environments × 2 regions = 6 platform stages, with cdk-nag and cutover's checks), in this process,
 * without credentials. The target is ≤ 60 s, judged on the first (cold) run, which also loads
 * aws-cdk-lib and cdk-nag as `cdk synth` does; the warm runs show what the synth itself costs.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CutoverChecks } from '../lib/nag/cutover-checks';
import { ENVIRONMENTS_CONTEXT, parseEnvironments } from '../lib/platform/environments';
import { addPlatformStages } from '../lib/platform/platform-stages';

const RUNS = 3;
const TARGET_SECONDS = 60;

function synthOnce(): { seconds: number; stages: number } {
  const context = (
    JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    }
  ).context;
  const outdir = mkdtempSync(join(tmpdir(), 'platform-synth-'));
  const started = performance.now();
  try {
    const app = new App({ outdir, context });
    const stages = addPlatformStages(app, parseEnvironments(context[ENVIRONMENTS_CONTEXT]));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CutoverChecks(app));
    app.synth();
    return { seconds: (performance.now() - started) / 1000, stages: stages.length };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const runs = Array.from({ length: RUNS }, (_, i) => {
  const run = synthOnce();
  const label = i === 0 ? 'cold' : 'warm';
  process.stdout.write(
    `run ${i + 1} (${label}): ${run.stages} stages synthesized with cdk-nag in ${run.seconds.toFixed(1)} s\n`,
  );
  return run.seconds;
});
const cold = runs[0]!;
process.stdout.write(`cold ${cold.toFixed(1)} s (target ≤ ${TARGET_SECONDS} s)\n`);
process.exitCode = cold <= TARGET_SECONDS ? 0 : 1;
