import type { ChildProcess } from 'node:child_process';
import type { FromApp, ToApp } from './protocol';

const REQUEST_TIMEOUT_MS = 5000;

export function sendTo(child: ChildProcess, message: ToApp): void {
  // The channel closes when the app exits; a late message has no reader, so its failure does not matter.
  if (child.connected) child.send(message, () => undefined);
}

type Answer = Extract<FromApp, { type: 'fault-set' | 'stats' }>;

/** Questions the parent asks the app process, matched to their answers by id. */
export class AppRequests {
  private sequence = 0;
  private readonly waiting = new Map<number, { resolve(answer: Answer): void; reject(error: Error): void }>();

  constructor(
    private readonly child: ChildProcess,
    exited: Promise<void>,
  ) {
    void exited.then(() => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error('the sample app has exited'));
      this.waiting.clear();
    });
  }

  ask(message: (id: number) => ToApp): Promise<Answer> {
    const id = ++this.sequence;
    return new Promise((resolve, reject) => {
      if (!this.child.connected) {
        reject(new Error('the sample app has exited'));
        return;
      }
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the sample app did not answer within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      sendTo(this.child, message(id));
    });
  }

  receive(message: FromApp): void {
    if (message.type !== 'fault-set' && message.type !== 'stats') return;
    const waiter = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    waiter?.resolve(message);
  }
}
