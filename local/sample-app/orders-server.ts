import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { pooledQuery } from './pooled-query';
import type { SampleAppFault, Side } from './protocol';
import { DatabaseUnavailableError, type RetryingDatabase } from './retrying-database';

const MAX_BODY_BYTES = 16 * 1024;
const ORDER_PATH = /^\/orders\/(\d{1,18})$/;

export interface OrdersServerOptions {
  readonly side: Side;
  /** The deployment revision this server runs, answered by the health check. */
  readonly revision?: string;
  readonly database: Pick<RetryingDatabase, 'read' | 'write'>;
  /** Read on every request, so a fault applies from the next response on. */
  readonly fault: () => SampleAppFault;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

class BadRequest extends Error {}

/** The sample "orders" service: health, create an order, read an order. */
export function createOrdersServer(options: OrdersServerOptions): Server {
  const server = createServer((request, response) => {
    // Errors are answered inside; this only guards the process against a surprise.
    handle(options, request, response).catch(() => response.destroy());
  });
  // Longer than any load generator's idle socket, so a reused keep-alive socket is never closed under it.
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(
  options: OrdersServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let reply: Reply;
  try {
    reply = options.fault().failing ? failing() : await route(options, request);
  } catch (error) {
    if (error instanceof BadRequest) reply = { status: 400, body: { error: error.message } };
    else if (error instanceof DatabaseUnavailableError)
      reply = { status: 503, body: { error: error.message } };
    else reply = { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
  }
  const { extraLatencyMs = 0, failing: failingNow = false } = options.fault();
  if (extraLatencyMs > 0) await sleep(extraLatencyMs);
  if (failingNow && reply.status < 500) reply = failing();
  const body = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-served-by': options.side,
  });
  response.end(body);
}

function failing(): Reply {
  return { status: 500, body: { error: 'fault injected: failing' } };
}

async function route(options: OrdersServerOptions, request: IncomingMessage): Promise<Reply> {
  const path = new URL(request.url ?? '/', 'http://app.local').pathname;
  if (request.method === 'GET' && path === '/healthz') {
    return {
      status: 200,
      body: { side: options.side, ...(options.revision ? { revision: options.revision } : {}) },
    };
  }
  if (request.method === 'POST' && path === '/orders') {
    const { item, quantity } = parseOrder(await readBody(request));
    const id = await options.database.write(async (pool) => {
      const rows = await pooledQuery<{ id: string }>(
        pool,
        'INSERT INTO orders (item, quantity) VALUES ($1, $2) RETURNING id',
        [item, quantity],
      );
      return rows[0]?.id;
    });
    return { status: 201, body: { id } };
  }
  const match = ORDER_PATH.exec(path);
  if (request.method === 'GET' && match?.[1] !== undefined) {
    const id = match[1];
    const order = await options.database.read(async (pool) => {
      const rows = await pooledQuery(
        pool,
        'SELECT id, item, quantity, created_at FROM orders WHERE id = $1',
        [id],
      );
      return rows[0];
    });
    return order ? { status: 200, body: order } : { status: 404, body: { error: `no order ${id}` } };
  }
  return { status: 404, body: { error: `no route ${request.method ?? ''} ${path}` } };
}

function parseOrder(body: string): { item: string; quantity: number } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new BadRequest('the body is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new BadRequest('the body must be an object');
  const { item, quantity } = value as Record<string, unknown>;
  if (typeof item !== 'string' || item.length === 0) throw new BadRequest('item must be a non-empty string');
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > 2 ** 31 - 1) {
    throw new BadRequest('quantity must be a whole number from 0 to 2147483647');
  }
  return { item, quantity };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
