import { setTimeout as sleep } from 'node:timers/promises';
import { Client, escapeIdentifier } from 'pg';
import type { ConnectionInfo } from '../../local/postgres-pair';
import { startPostgresPair, type PostgresPair } from '../../local/postgres-pair';
import { ORDERS_SCHEMA } from '../../local/sample-app/schema';
import { startSampleApp, type SampleApp } from '../../local/sample-app/start-sample-app';
import { query } from '../support/postgres-query';

const DATABASE = 'shop';
const GREEN_FIRST_ID = 1_000_000;

let pair: PostgresPair;
let blue: ConnectionInfo;
let green: ConnectionInfo;
let target: ConnectionInfo;
let app: SampleApp;

beforeAll(async () => {
  pair = await startPostgresPair();
  blue = { ...pair.blue, database: DATABASE };
  green = { ...pair.green, database: DATABASE };
  for (const server of [pair.blue, pair.green]) {
    await query(server, `CREATE DATABASE ${escapeIdentifier(DATABASE)}`);
  }
  await query(blue, ORDERS_SCHEMA);
  await query(green, ORDERS_SCHEMA);
  // Green's ids start elsewhere, so an id tells which database took the write.
  await query(green, `ALTER SEQUENCE orders_id_seq RESTART ${GREEN_FIRST_ID}`);
  target = blue;
  app = await startSampleApp({ side: 'blue', resolveDatabase: async () => target, databaseTtlMs: 200 });
}, 90_000);

afterAll(async () => {
  await app?.stop();
  await pair?.stop();
});

async function placeOrder(item = 'tea', quantity = 2): Promise<Response> {
  return fetch(`${app.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item, quantity }),
  });
}

/** What the cutover's write freeze does: new sessions start read-only, open ones are ended. */
async function freezeWrites(connection: ConnectionInfo): Promise<void> {
  const admin = new Client({ ...connection, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(
      `ALTER DATABASE ${escapeIdentifier(connection.database)} SET default_transaction_read_only = on`,
    );
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      [connection.database],
    );
  } finally {
    await admin.end();
  }
}

describe('sample app', () => {
  it('answers its health check, naming its side', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-served-by')).toBe('blue');
    expect(await response.json()).toEqual({ side: 'blue' });
  });

  it('creates an order and reads it back', async () => {
    const created = await placeOrder('coffee', 3);
    expect(created.status).toBe(201);
    expect(created.headers.get('x-served-by')).toBe('blue');
    const { id } = (await created.json()) as { id: string };
    const read = await fetch(`${app.url}/orders/${id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id, item: 'coffee', quantity: 3 });
    expect((await fetch(`${app.url}/orders/987654321`)).status).toBe(404);
  });

  it('refuses an order without an item', async () => {
    const response = await fetch(`${app.url}/orders`, { method: 'POST', body: '{"quantity":1}' });
    expect(response.status).toBe(400);
  });

  it('keeps taking writes while its database is frozen and repointed to green', async () => {
    const before = await app.stats();
    const statuses: number[] = [];
    const ids: number[] = [];
    let writing = true;
    const writer = async (): Promise<void> => {
      while (writing) {
        const response = await placeOrder();
        statuses.push(response.status);
        if (response.status === 201) ids.push(Number(((await response.json()) as { id: string }).id));
        else await response.body?.cancel();
      }
    };
    const writers = Array.from({ length: 6 }, writer);

    await sleep(300);
    await freezeWrites(blue);
    // The cutover waits here for replication to catch up; writes stall meanwhile.
    await sleep(300);
    target = green;
    await sleep(700);
    writing = false;
    await Promise.all(writers);

    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    expect(ids.some((id) => id < GREEN_FIRST_ID)).toBe(true);
    expect(ids.at(-1)).toBeGreaterThanOrEqual(GREEN_FIRST_ID);
    const after = await app.stats();
    expect(after.retries).toBeGreaterThan(before.retries);
    expect(after.longestWriteStallMs).toBeGreaterThan(250);
    expect(after.longestWriteStallMs).toBeLessThan(5000);
    expect(after.writes - before.writes).toBe(ids.length);
    const [row] = await query<{ count: string }>(green, 'SELECT count(*) AS count FROM orders');
    expect(Number(row?.count)).toBe(ids.filter((id) => id >= GREEN_FIRST_ID).length);
  });

  it('answers 500 on every route while failing, and recovers', async () => {
    await app.setFault({ failing: true });
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(500);
    expect(health.headers.get('x-served-by')).toBe('blue');
    expect((await placeOrder()).status).toBe(500);
    await app.setFault({});
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('delays every response by the extra latency', async () => {
    await app.setFault({ extraLatencyMs: 250 });
    const startedAt = performance.now();
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(240);
    await app.setFault({});
  });

  it('leaves no process behind when stopped, however often', async () => {
    const other = await startSampleApp({
      side: 'green',
      resolveDatabase: async () => green,
      databaseTtlMs: 0,
    });
    expect((await fetch(`${other.url}/healthz`)).headers.get('x-served-by')).toBe('green');
    await other.stop();
    await other.stop();
    expect(() => process.kill(other.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    await expect(other.stats()).rejects.toThrow('the sample app has exited');
  });
});
