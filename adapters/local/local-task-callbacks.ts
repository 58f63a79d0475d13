import { randomUUID } from 'node:crypto';
import { AwsErrorNames, AwsReportedError } from '../../domain/errors';
import type { TaskCallbacks } from '../../ports/control-signals';

interface Waiter {
  resolve(output: Record<string, unknown>): void;
  reject(error: Error): void;
  /** Restarts the HeartbeatSeconds timer, if the state has one. */
  beat(): void;
}

/**
 * Task tokens for the local state machine: the runner parks a `.waitForTaskToken` state on `wait()`,
 * and `succeed`/`fail` (the SendTaskSuccess/SendTaskFailure of this machine) complete it.
 */
export class LocalTaskCallbacks implements TaskCallbacks {
  private readonly waiters = new Map<string, Waiter>();

  /**
   * A fresh token and the promise that settles when it is answered. With `heartbeatMs`, the wait fails
   * with States.HeartbeatTimeout when no heartbeat arrives for that long (HeartbeatSeconds).
   */
  issue(heartbeatMs?: number): { token: string; answer: Promise<Record<string, unknown>> } {
    const token = `local-${randomUUID()}`;
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const beat = () => {
        if (heartbeatMs === undefined) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.take(token);
          reject(
            new AwsReportedError(AwsErrorNames.HeartbeatTimedOut, 'no heartbeat within HeartbeatSeconds'),
          );
        }, heartbeatMs);
      };
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          fn(value);
        };
      this.waiters.set(token, { resolve: settle(resolve), reject: settle(reject), beat });
      beat();
    });
    // A wait that timed out in the state machine has no reader any more; its late answer must not crash.
    answer.catch(() => undefined);
    return { token, answer };
  }

  async succeed(taskToken: string, output: Record<string, unknown>): Promise<void> {
    this.take(taskToken)?.resolve(output);
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    const failure = new Error(cause);
    failure.name = error;
    this.take(taskToken)?.reject(failure);
  }

  /** SendTaskHeartbeat: the task behind the token is still working. */
  async heartbeat(taskToken: string): Promise<void> {
    this.waiters.get(taskToken)?.beat();
  }

  /** Ends every wait still open (the execution is over); like SFN, answering later does nothing. */
  abandonAll(): void {
    for (const token of [...this.waiters.keys()]) this.fail(token, 'States.Aborted', 'the execution ended');
  }

  private take(token: string): Waiter | undefined {
    const waiter = this.waiters.get(token);
    this.waiters.delete(token);
    return waiter;
  }
}
