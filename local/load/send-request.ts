import { request, type Agent } from 'node:http';
import type { Outcome } from './request-log';

export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** JSON */
  readonly body?: string;
  /** Whether a status counts as answered (e.g. 404 for a read of an order that is not there). */
  readonly ok: (status: number) => boolean;
}

export interface RequestAnswer {
  readonly outcome: Outcome;
  readonly status?: number;
  /** The response body, when it was ok (the caller reads an order id from it). */
  readonly body?: string;
  /** Why it failed. */
  readonly detail?: string;
}

/** Sends one request and classifies it; never rejects. */
export function sendRequest(
  agent: Agent,
  base: URL,
  spec: RequestSpec,
  timeoutMs: number,
): Promise<RequestAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: RequestAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const headers: Record<string, string | number> = {};
    if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(spec.body);
    }
    const outgoing = request(
      { agent, host: base.hostname, port: base.port, method: spec.method, path: spec.path, headers },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => settle({ outcome: 'error', status, detail: error.message }));
        response.on('end', () => {
          if (spec.ok(status)) {
            settle({ outcome: 'ok', status, body: Buffer.concat(chunks).toString('utf8') });
          } else {
            settle({ outcome: 'error', status, detail: `${spec.method} ${spec.path}: HTTP ${status}` });
          }
        });
      },
    );
    const timer = setTimeout(() => {
      settle({ outcome: 'timeout', detail: `${spec.method} ${spec.path}: no answer within ${timeoutMs} ms` });
      // A late answer must not arrive on a socket the agent hands to the next request.
      outgoing.destroy();
    }, timeoutMs);
    outgoing.on('error', (error) =>
      settle({ outcome: 'error', detail: `${spec.method} ${spec.path}: ${error.message}` }),
    );
    outgoing.end(spec.body);
  });
}
