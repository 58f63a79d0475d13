import { randomUUID } from 'node:crypto';
import type { TaskCallbacks } from '../../ports/control-signals';

interface Waiter {
  resolve(output: Record<string, unknown>): void;
  reject(error: Error): void;
}

/**
 * Task tokens for the local state machine: the runner parks a `.waitForTaskToken` state on `wait()`,
 * and `succeed`/`fail` (the SendTaskSuccess/SendTaskFailure of this machine) complete it.
 */
export class LocalTaskCallbacks implements TaskCallbacks {
  private readonly waiters = new Map<string, Waiter>();

  /** A fresh token and the promise that settles when it is answered. */
  issue(): { token: string; answer: Promise<Record<string, unknown>> } {
    const token = `local-${randomUUID()}`;
    const answer = new Promise<Record<string, unknown>>((resolve, reject) =>
      this.waiters.set(token, { resolve, reject }),
    );
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
