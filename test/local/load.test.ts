import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDnsClients } from '../../local/load/dns-clients';
import { runLoad, type LoadOptions, type Target } from '../../local/load/run-load';

type Behaviour = 'ok' | 'fail' | 'hang';

interface TinyServer {
  readonly url: string;
  readonly paths: string[];
  behaviour: Behaviour;
  delayMs: number;
  close(): Promise<void>;
}

/** An "orders" service in a few lines: ids count up, odd ids are found, even ones are 404. */
async function tinyServer(behaviour: Behaviour = 'ok'): Promise<TinyServer> {
  let nextId = 1;
  const hanging = new Set<ServerResponse>();
  const state: TinyServer = {
    url: '',
    paths: [],
    behaviour,
    delayMs: 0,
    close: () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  const answer = (request: IncomingMessage, response: ServerResponse): void => {
    const path = request.url ?? '/';
    if (state.behaviour === 'fail') {
      response.writeHead(500).end();
    } else if (request.method === 'POST' && path === '/orders') {
      response
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: String(nextId++) }));
    } else if (path.startsWith('/orders/')) {
      response.writeHead(Number(path.split('/')[2]) % 2 === 1 ? 200 : 404).end('{}');
    } else {
      response.writeHead(200).end('{}');
    }
  };
  const server: Server = createServer((request, response) => {
    state.paths.push(`${request.method} ${request.url}`);
    request.resume();
    if (state.behaviour === 'hang') {
      hanging.add(response);
      return;
    }
    if (state.delayMs > 0) setTimeout(() => answer(request, response), state.delayMs);
    else answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

let blue: TinyServer;
let green: TinyServer;

beforeEach(async () => {
  blue = await tinyServer();
  green = await tinyServer();
});

afterEach(async () => {
  await Promise.all([blue.close(), green.close()]);
});

function alternate(): () => Target {
  let count = 0;
  return () => (count++ % 2 === 0 ? 'blue' : 'green');
}

function options(overrides: Partial<LoadOptions>): LoadOptions {
  return {
    ratePerSecond: 100,
    writeRatio: 0.5,
    targets: { blue: blue.url, green: green.url },
    pick: () => 'blue',
    signal: new AbortController().signal,
    maxDurationMs: 1000,
    timeoutMs: 1000,
    bucketMs: 500,
    ...overrides,
  };
}

describe('runLoad', () => {
  it('holds 200 req/s for 2 s within 10 %', async () => {
    const run = runLoad(
      options({ ratePerSecond: 200, maxDurationMs: 10_000, signal: AbortSignal.timeout(2000) }),
    );
    await sleep(1500);
    expect(run.live().rps).toBeGreaterThanOrEqual(180);
    expect(run.live().rps).toBeLessThanOrEqual(220);
    const result = await run.result;
    expect(result.durationMs).toBeGreaterThanOrEqual(1990);
    expect(result.durationMs).toBeLessThan(2100);
    const rate = result.requests.total / (result.durationMs / 1000);
    expect(rate).toBeGreaterThanOrEqual(180);
    expect(rate).toBeLessThanOrEqual(220);
    expect(result.requests.failed).toBe(0);
    // The abort lands within a few ms of 2 s, so the last bucket may be a sliver or a bucket not quite full.
    expect(result.series.slice(0, 3).map((bucket) => [bucket.atMs, bucket.spanMs])).toEqual([
      [0, 500],
      [500, 500],
      [1000, 500],
    ]);
    // Per bucket, a pause of the event loop (another test starting PostgreSQL) moves requests to the next.
    for (const bucket of result.series.slice(0, 3)) {
      expect(bucket.sent).toBeGreaterThanOrEqual(80);
      expect(bucket.sent).toBeLessThanOrEqual(120);
      expect(bucket.byTarget).toEqual({ blue: bucket.sent, green: 0 });
    }
    expect(result.series.reduce((sum, bucket) => sum + bucket.sent, 0)).toBe(result.requests.total);
    expect(result.series.reduce((sum, bucket) => sum + bucket.spanMs, 0)).toBeCloseTo(result.durationMs, 6);
    expect(result.latencyMs.count).toBe(result.requests.total);
    expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p99);
    expect(result.latencyMs.p99).toBeLessThanOrEqual(result.latencyMs.max);
  });

  it('stops at the maximum duration', async () => {
    const result = await runLoad(options({ ratePerSecond: 100, maxDurationMs: 500 })).result;
    expect(result.requests.total).toBe(50);
    expect(result.durationMs).toBeLessThan(600);
  });

  it('counts a side answering 500 as failed for that side only', async () => {
    blue.behaviour = 'fail';
    const result = await runLoad(options({ pick: alternate() })).result;
    expect(result.requests.byTarget.blue).toEqual({ total: 50, failed: 50 });
    expect(result.requests.byTarget.green).toEqual({ total: 50, failed: 0 });
    expect(result.requests).toMatchObject({ total: 100, failed: 50, timeouts: 0 });
    expect(result.failures[0]).toMatchObject({ target: 'blue', kind: 'error' });
    expect(result.failures[0]?.detail).toMatch(/HTTP 500$/);
    expect(result.series.reduce((sum, bucket) => sum + bucket.failed, 0)).toBe(50);
  });

  it('classifies a request not answered in time as a timeout', async () => {
    green.behaviour = 'hang';
    const result = await runLoad(options({ pick: alternate(), maxDurationMs: 500, timeoutMs: 100 })).result;
    expect(result.requests.byTarget.green).toEqual({ total: 25, failed: 25 });
    expect(result.requests.byTarget.blue).toEqual({ total: 25, failed: 0 });
    expect(result.requests.timeouts).toBe(25);
    expect(result.failures.find((failure) => failure.target === 'green')?.kind).toBe('timeout');
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(100);
  });

  it('counts a refused connection as an error', async () => {
    const closed = await tinyServer();
    await closed.close();
    const result = await runLoad(
      options({ targets: { blue: closed.url, green: green.url }, maxDurationMs: 200 }),
    ).result;
    expect(result.requests.byTarget.blue).toEqual({ total: 20, failed: 20 });
    expect(result.failures[0]?.detail).toMatch(/ECONNREFUSED/);
  });

  it('reads back orders it created, and takes a missing order as an answer', async () => {
    const result = await runLoad(options({ writeRatio: 0.25 })).result;
    const writes = blue.paths.filter((path) => path === 'POST /orders');
    const reads = blue.paths.filter((path) => path.startsWith('GET /orders/'));
    expect(writes).toHaveLength(25);
    expect(reads.length + blue.paths.filter((path) => path === 'GET /healthz').length).toBe(75);
    expect(reads.length).toBeGreaterThan(60);
    for (const read of reads) expect(Number(read.split('/')[2])).toBeLessThanOrEqual(writes.length);
    expect(result.requests.failed).toBe(0);
  });

  it('reports latency percentiles for a time window', async () => {
    const run = runLoad(options({ maxDurationMs: 1000 }));
    await sleep(500);
    blue.delayMs = 60;
    await run.result;
    expect(run.latencyBetween(0, 450).p99).toBeLessThan(50);
    expect(run.latencyBetween(550, 1000).p50).toBeGreaterThanOrEqual(60);
    expect(run.latencyBetween(2000, 3000)).toEqual({ p50: 0, p99: 0, max: 0, count: 0 });
    // An inverted window (a baseline shorter than the warm-up) is empty, not a RangeError.
    expect(run.latencyBetween(1000, 500)).toEqual({ p50: 0, p99: 0, max: 0, count: 0 });
  });

  it('refuses a target that is not on this machine', () => {
    expect(() => runLoad(options({ targets: { blue: 'http://192.0.2.10:8080', green: green.url } }))).toThrow(
      'targets.blue must be a loopback address such as 127.0.0.1 (got 192.0.2.10)',
    );
  });

  it('fails when the write ratio is not a share', () => {
    expect(() => runLoad(options({ writeRatio: 1.5 }))).toThrow('writeRatio must be from 0 to 1 (got 1.5)');
  });
});

describe('createDnsClients', () => {
  function clients(count: number, ttlMs: number) {
    const clock = { now: 0 };
    const dns = { answer: 'blue' as Target, lookups: 0 };
    const pool = createDnsClients({
      count,
      ttlMs,
      now: () => clock.now,
      resolve: () => {
        dns.lookups += 1;
        return dns.answer;
      },
    });
    const pickAll = (): Target[] => Array.from({ length: count }, () => pool.pick());
    return { clock, dns, pickAll };
  }

  it('keeps an answer until its TTL is over', () => {
    const { clock, dns, pickAll } = clients(1, 1000);
    expect(pickAll()).toEqual(['blue']);
    dns.answer = 'green';
    clock.now = 999;
    expect(pickAll()).toEqual(['blue']);
    clock.now = 1000;
    expect(pickAll()).toEqual(['green']);
    expect(dns.lookups).toBe(2);
  });

  it('spreads the first expiries over the TTL, then refreshes every TTL', () => {
    const { clock, dns, pickAll } = clients(4, 1000);
    expect(pickAll()).toEqual(['blue', 'blue', 'blue', 'blue']);
    dns.answer = 'green';
    clock.now = 250;
    expect(pickAll()).toEqual(['green', 'blue', 'blue', 'blue']);
    clock.now = 500;
    expect(pickAll()).toEqual(['green', 'green', 'blue', 'blue']);
    clock.now = 1000;
    expect(pickAll()).toEqual(['green', 'green', 'green', 'green']);
    dns.answer = 'blue';
    clock.now = 1249;
    expect(pickAll()).toEqual(['green', 'green', 'green', 'green']);
    clock.now = 1250;
    expect(pickAll()).toEqual(['blue', 'green', 'green', 'green']);
  });

  it('asks every time with a TTL of 0', () => {
    const { dns, pickAll } = clients(2, 0);
    pickAll();
    pickAll();
    expect(dns.lookups).toBe(4);
  });

  it('fails when there are no clients', () => {
    expect(() => createDnsClients({ count: 0, ttlMs: 1000, resolve: () => 'blue' })).toThrow(
      'count must be a whole number, 1 or more (got 0)',
    );
  });
});
