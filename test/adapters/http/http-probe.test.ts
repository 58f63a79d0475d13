import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpProbe } from '../../../adapters/http/http-probe';
import { freePorts } from '../../../local/free-ports';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') response.end('ok');
    else if (path === '/unavailable') response.writeHead(503).end('down for maintenance');
    else if (path === '/slow') setTimeout(() => response.end('ok'), 200);
    else if (path === '/moved') response.writeHead(302, { location: '/healthz' }).end();
    // '/hang' never answers.
    else if (path !== '/hang') response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('is healthy when the endpoint answers with the expected status within the budget', async () => {
  const probe = new HttpProbe({ url: `${base}/healthz`, expectStatus: 200, latencyBudgetMs: 1000 });

  await expect(probe.check()).resolves.toEqual({
    probe: `http ${base}/healthz`,
    outcome: 'healthy',
    detail: expect.stringMatching(/^status 200 in \d+ ms$/),
  });
});

test('is unhealthy when the endpoint answers with another status', async () => {
  const probe = new HttpProbe({ url: `${base}/unavailable`, expectStatus: 200, latencyBudgetMs: 1000 });

  await expect(probe.check()).resolves.toMatchObject({
    outcome: 'unhealthy',
    detail: expect.stringMatching(/^status 503, expected 200 \(\d+ ms\)$/),
  });
});

test('is unhealthy when a redirect answers instead of the endpoint itself', async () => {
  const probe = new HttpProbe({ url: `${base}/moved`, expectStatus: 200, latencyBudgetMs: 1000 });

  await expect(probe.check()).resolves.toMatchObject({
    outcome: 'unhealthy',
    detail: expect.stringMatching(/^status 302/),
  });
});

test('is unhealthy when the answer is slower than the latency budget, naming both', async () => {
  const probe = new HttpProbe({ url: `${base}/slow`, expectStatus: 200, latencyBudgetMs: 50 });

  const result = await probe.check();

  expect(result).toMatchObject({
    outcome: 'unhealthy',
    detail: expect.stringMatching(/^took \d+ ms, over the 50 ms budget$/),
  });
  expect(Number(/took (\d+) ms/.exec(result.detail)?.[1])).toBeGreaterThanOrEqual(190);
});

test('is unhealthy when the connection is refused', async () => {
  const [closedPort] = await freePorts(1);
  const probe = new HttpProbe({
    url: `http://127.0.0.1:${closedPort}/healthz`,
    expectStatus: 200,
    latencyBudgetMs: 1000,
  });

  await expect(probe.check()).resolves.toMatchObject({
    outcome: 'unhealthy',
    detail: 'request failed: ECONNREFUSED',
  });
});

test('is unhealthy when no answer comes before the timeout', async () => {
  const probe = new HttpProbe({
    url: `${base}/hang`,
    expectStatus: 200,
    latencyBudgetMs: 100,
    timeoutMs: 200,
  });

  await expect(probe.check()).resolves.toMatchObject({
    outcome: 'unhealthy',
    detail: 'no answer within 200 ms',
  });
});

test('rejects when the caller aborts, since that is no verdict on the endpoint', async () => {
  const probe = new HttpProbe({
    url: `${base}/hang`,
    expectStatus: 200,
    latencyBudgetMs: 100,
    timeoutMs: 5000,
  });

  await expect(probe.check(AbortSignal.timeout(50))).rejects.toMatchObject({ name: 'TimeoutError' });
});

test('keeps the query string out of its name and results', async () => {
  const probe = new HttpProbe({
    url: `${base}/healthz?token=s3cr3t`,
    expectStatus: 200,
    latencyBudgetMs: 1000,
  });

  const result = await probe.check();

  expect(probe.name).toBe(`http ${base}/healthz`);
  expect(JSON.stringify(result)).not.toContain('s3cr3t');
});

test.each([
  ['the URL is not http(s)', { url: 'ftp://example.com/healthz' }, 'url must use http or https, got ftp:'],
  ['the URL is relative', { url: '/healthz' }, 'url must be an absolute http(s) URL'],
  [
    'the URL carries credentials',
    { url: 'https://user:pw@example.com/healthz' },
    'url must not carry credentials',
  ],
  [
    'the status is not an HTTP status',
    { expectStatus: 42 },
    'expectStatus must be an HTTP status (100-599), got 42',
  ],
  ['the budget is not positive', { latencyBudgetMs: 0 }, 'latencyBudgetMs must be positive, got 0'],
  ['the timeout is not positive', { timeoutMs: -1 }, 'timeoutMs must be positive, got -1'],
])('fails when %s', (_case, override, message) => {
  expect(
    () =>
      new HttpProbe({
        url: 'https://example.com/healthz',
        expectStatus: 200,
        latencyBudgetMs: 500,
        ...override,
      }),
  ).toThrow(message);
});
