import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TaskCallbacks } from '../../ports/control-signals';
import { isAwsError, rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

const MAX_ERROR = 256;
const MAX_CAUSE = 32768;

/** Completes a Step Functions task waiting with `.waitForTaskToken`; answering twice is harmless. */
export class SfnTaskCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient) {}

  async succeed(taskToken: string, output: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
    await this.client
      .send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }), withSignal(signal))
      .catch(unlessWaitIsOver);
  }

  async fail(taskToken: string, error: string, cause: string, signal?: AbortSignal): Promise<void> {
    await this.client
      .send(
        new SendTaskFailureCommand({
          taskToken,
          error: error.slice(0, MAX_ERROR),
          cause: cause.slice(0, MAX_CAUSE),
        }),
        withSignal(signal),
      )
      .catch(unlessWaitIsOver);
  }
}

/** Swallows the errors that say the wait is already over (answered, timed out, or its execution ended). */
function unlessWaitIsOver(error: unknown): void {
  if (isAwsError(error, 'TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist')) return;
  rethrowAwsError(error);
}
