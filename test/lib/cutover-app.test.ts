import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CONTEXT_ENV, FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutoverApp } from '../../lib/cutover-app';
import { addPlatformStages } from '../../lib/platform/platform-stages';
import { devEnvironment } from './platform/platform-fixtures';

let outdir: string;
let cliContext: string | undefined;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cutover-app-'));
  // What the CDK CLI hands the app (CDK_CONTEXT_JSON): "leave validation failures to me".
  cliContext = process.env[CONTEXT_ENV];
  process.env[CONTEXT_ENV] = JSON.stringify({ [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false });
});
afterEach(() => {
  if (cliContext === undefined) delete process.env[CONTEXT_ENV];
  else process.env[CONTEXT_ENV] = cliContext;
  rmSync(outdir, { recursive: true, force: true });
});

/** A bucket without access logs nor an SSL-only policy: AwsSolutions-S1 and -S10 errors. */
function addUnloggedBucket(stack: Stack): void {
  new s3.Bucket(stack, 'Unlogged');
}

describe('the CDK app under the CLI’s context', () => {
  it('fails synth on a cdk-nag finding in a nested platform stage, naming the construct', () => {
    const app = cutoverApp({ outdir });
    const [dev] = addPlatformStages(app, [devEnvironment()]);
    addUnloggedBucket(dev!.stack);
    expect(() => app.synth()).toThrow(
      /dev-eu-west-1\/Platform\/Unlogged\/Resource[\s\S]*Acknowledge with 'AwsSolutions::AwsSolutions-S10'/,
    );
  });

  it('synthesizes a nested platform stage that passes', () => {
    const app = cutoverApp({ outdir });
    addPlatformStages(app, [devEnvironment()]);
    expect(app.synth().nestedAssemblies.map((assembly) => assembly.id)).toEqual(['assembly-dev-eu-west-1']);
  });

  it('is needed: a plain app with the same checks lets the nested finding through', () => {
    const app = new App({ outdir });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    addUnloggedBucket(new Stack(new Stage(app, 'dev-eu-west-1'), 'Platform'));
    expect(() => app.synth()).not.toThrow();
  });
});
