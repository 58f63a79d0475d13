import type { Ports } from '../../workflow/ports';
import { STEP_ENV } from '../../workflow/step-environment';
import { deferred } from './deferred';
import { requiredEnv } from './environment';

export const notifier = (): Ports['notifier'] =>
  deferred(async () => {
    const [{ SNSClient }, { SnsNotifier }] = await Promise.all([
      import('@aws-sdk/client-sns'),
      import('../../adapters/aws/sns-notifier.js'),
    ]);
    return new SnsNotifier(
      new SNSClient({}),
      requiredEnv(STEP_ENV.eventsTopic),
      // Runbook functions have no console: their notifications name the execution's ARN.
      process.env[STEP_ENV.consoleUrl],
    );
  });
