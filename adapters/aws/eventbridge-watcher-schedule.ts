import { DisableRuleCommand, EnableRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { WatcherSchedule } from '../../ports/control-signals';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

/**
 * The health watcher's EventBridge rule, enabled by the step that registers a bake and disabled by the
 * watcher once no bake is pending: while no cutover runs, nothing runs. Both calls are idempotent.
 */
export class EventBridgeWatcherSchedule implements WatcherSchedule {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly ruleName: string,
  ) {}

  async start(signal?: AbortSignal): Promise<void> {
    await this.client
      .send(new EnableRuleCommand({ Name: this.ruleName }), withSignal(signal))
      .catch(rethrowAwsError);
  }

  async stop(signal?: AbortSignal): Promise<void> {
    await this.client
      .send(new DisableRuleCommand({ Name: this.ruleName }), withSignal(signal))
      .catch(rethrowAwsError);
  }
}
