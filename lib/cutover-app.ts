import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CutoverChecks } from './nag/cutover-checks';

/**
 * The CDK app, checked by cdk-nag (AwsSolutions) and cutover's own rules in every stage, nested platform
 * stages included. The CDK CLI tells apps to leave validation failures to it
 * (`@aws-cdk/core:failSynthOnValidationErrors: false`) and then, as of CLI 2.1148, fails only on those in
 * top-level stacks: a finding in a nested stage's stack would pass `cdk synth`. This app keeps the
 * failing to itself (post-CLI context wins over the CLI's), so any finding fails synth.
 */
export function cutoverApp(props: AppProps = {}): App {
  const app = new App({
    ...props,
    postCliContext: { ...props.postCliContext, [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: true },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CutoverChecks(app));
  return app;
}
