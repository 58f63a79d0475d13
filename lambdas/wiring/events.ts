import type { Ports } from '../../workflow/ports';
import { STEP_ENV } from '../../workflow/step-environment';
import { deferred } from './deferred';
import { requiredEnv } from './environment';

/** The health watcher's EventBridge rule: on while a bake is pending. */
export const watcherSchedule = (): Ports['watcherSchedule'] =>
  deferred(async () => {
    const [{ EventBridgeClient }, { EventBridgeWatcherSchedule }] = await Promise.all([
      import('@aws-sdk/client-eventbridge'),
      import('../../adapters/aws/eventbridge-watcher-schedule.js'),
    ]);
    return new EventBridgeWatcherSchedule(new EventBridgeClient({}), requiredEnv(STEP_ENV.watcherRule));
  });
