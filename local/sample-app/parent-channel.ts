import type { ConnectionInfo } from '../postgres-pair';
import type { FromApp, ToApp } from './protocol';

const RESOLVE_TIMEOUT_MS = 2000;

/** The app process's side of the IPC channel: asks the parent to resolve the database name. */
export class ParentChannel {
  private sequence = 0;
  private readonly waiting = new Map<
    number,
    { resolve(connection: ConnectionInfo): void; reject(error: Error): void }
  >();

  /** Feed it every message from the parent; it answers the ones it is waiting for. */
  receive(message: ToApp): void {
    if (message.type !== 'resolved' && message.type !== 'resolve-failed') return;
    const waiter = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    if (message.type === 'resolved') waiter?.resolve(message.connection);
    else waiter?.reject(new Error(`the database name did not resolve: ${message.message}`));
  }

  resolveDatabase(): Promise<ConnectionInfo> {
    const id = ++this.sequence;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the parent did not resolve the database name within ${RESOLVE_TIMEOUT_MS} ms`));
      }, RESOLVE_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (connection) => {
          clearTimeout(timer);
          resolve(connection);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      send({ type: 'resolve', id });
    });
  }
}

export function send(message: FromApp): void {
  if (process.connected) process.send?.(message);
}
