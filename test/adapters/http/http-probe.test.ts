import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpProbe, type HttpProbeProps, type ResolveAll } from '../../../adapters/http/http-probe';
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

describe('with an allow-list (on AWS): the host is resolved at probe time', () => {
  const answering = (addresses: string[]) => {
    const asked: string[] = [];
    const resolveAll = async (hostname: string) => {
      asked.push(hostname);
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    return { asked, resolveAll };
  };
  const guarded = (url: string, resolveAll: ResolveAll, more: Partial<HttpProbeProps> = {}) =>
    new HttpProbe({ url, expectStatus: 200, latencyBudgetMs: 1000, allowedTargets: [], resolveAll, ...more });

  test('refuses a name that resolves to the metadata service (DNS rebinding), and never connects', async () => {
    const dns = answering(['169.254.169.254']);
    const probe = guarded('http://169.254.169.254.nip.io/latest/meta-data/', dns.resolveAll);

    await expect(probe.check()).resolves.toEqual({
      probe: 'http http://169.254.169.254.nip.io/latest/meta-data/',
      outcome: 'unhealthy',
      detail:
        'refused: 169.254.169.254.nip.io resolves to 169.254.169.254, a link-local address (the metadata service lives there); the probe does not connect',
    });
    expect(dns.asked).toEqual(['169.254.169.254.nip.io']);
  });

  test('refuses when any of the addresses is forbidden, loopback included', async () => {
    const dns = answering(['203.0.113.10', '127.0.0.1']);
    const port = (server.address() as AddressInfo).port;
    let connections = 0;
    server.on('connection', () => (connections += 1));
    const before = connections;
    const probe = guarded(`http://app.example.com:${port}/healthz`, dns.resolveAll);

    const result = await probe.check();

    expect(result.outcome).toBe('unhealthy');
    expect(result.detail).toContain('resolves to 127.0.0.1, a loopback address');
    expect(connections).toBe(before);
  });

  test('refuses a private address the allow-list does not name, and names the setting', async () => {
    const probe = guarded('https://app.internal/healthz', answering(['10.2.0.7']).resolveAll, {
      allowedTargets: ['10.1.0.0/16'],
    });

    expect((await probe.check()).detail).toBe(
      'refused: app.internal resolves to 10.2.0.7, a private address not listed in "cutover:allowedProbeTargets"; the probe does not connect',
    );
  });

  test('refuses a forbidden address written literally in the URL', async () => {
    const probe = new HttpProbe({
      url: 'http://[::ffff:169.254.169.254]/',
      expectStatus: 200,
      latencyBudgetMs: 1000,
      allowedTargets: [],
    });

    expect((await probe.check()).detail).toMatch(/^refused: 169\.254\.169\.254, a link-local address/);
  });

  test('connects to an allowed address through that one lookup, never asking DNS again', async () => {
    const dns = answering(['192.0.2.10']);
    const probe = guarded('http://app.example.com/healthz', dns.resolveAll, { timeoutMs: 300 });

    // 192.0.2.0/24 (TEST-NET-1) answers nothing: the verdict is the attempt's, not a refusal.
    const result = await probe.check();
    expect(result.outcome).toBe('unhealthy');
    expect(result.detail).not.toMatch(/^refused/);
    expect(dns.asked).toEqual(['app.example.com']);
  });
});
