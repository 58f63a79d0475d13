import { Agent } from 'node:http';
import type { FailureSample, LatencySummary, LiveLoad, LoadBucket, LoadResult, Target } from './load-types';
import { loopbackUrl } from './loopback-url';
import { RequestLog } from './request-log';
import { sendRequest, type RequestSpec } from './send-request';

export type { FailureSample, LatencySummary, LiveLoad, LoadBucket, LoadResult, Target } from './load-types';

export interface LoadOptions {
  readonly ratePerSecond: number;
  /** Share of requests that are writes (`POST /orders`), from 0 to 1; the rest read an order back. */
  readonly writeRatio: number;
  /** Base URLs of the two sides, on this machine. */
  readonly targets: { readonly blue: string; readonly green: string };
  /** Which side the next request goes to (e.g. `createDnsClients(...).pick`). */
  readonly pick: () => Target;
  /** Stops sending; requests in flight still finish and are counted. */
  readonly signal: AbortSignal;
  readonly maxDurationMs: number;
  /** A request not answered by then is abandoned and counted as a timeout. */
  readonly timeoutMs: number;
  /** Width of each bucket of the result's series. */
  readonly bucketMs: number;
  /** @default Math.random */
  readonly random?: () => number;
}

export interface LoadRun {
  /** Epoch ms when the load started; the times of `latencyBetween` and the series count from here. */
  readonly startedAt: number;
  /** Settles once sending has stopped and every request has been answered or timed out. */
  readonly result: Promise<LoadResult>;
  /** Counters for a progress display, while it runs and after. */
  live(): LiveLoad;
  /** Latency of the requests sent in [fromMs, toMs), in ms since the load started. */
  latencyBetween(fromMs: number, toMs: number): LatencySummary;
}

const LIVE_RATE_WINDOW_MS = 1000;
const LIVE_LATENCY_WINDOW_MS = 2000;
const KEPT_IDS = 1024;
const KEPT_FAILURES = 20;

/**
 * Sends requests at a fixed rate to the side `pick` chooses, like the users of the service: writes
 * create orders, reads fetch one created earlier. The schedule follows elapsed time, so a slow tick
 * is made up by the next one instead of drifting.
 */
export function runLoad(options: LoadOptions): LoadRun {
  const bases = {
    blue: loopbackUrl('blue', options.targets.blue),
    green: loopbackUrl('green', options.targets.green),
  };
  validate(options);
  const planned = Math.floor((options.ratePerSecond * options.maxDurationMs) / 1000);
  const log = new RequestLog(planned);
  const startedAt = Date.now();
  const origin = performance.now();
  const elapsed = (): number => performance.now() - origin;
  const result = generate(options, bases, log, elapsed).then(({ durationMs, failures }) =>
    summarize(log, startedAt, durationMs, options.bucketMs, failures),
  );
  return {
    startedAt,
    result,
    live: () => live(log, elapsed()),
    latencyBetween: (fromMs, toMs) => log.latencyBetween(fromMs, toMs),
  };
}

function validate(options: LoadOptions): void {
  const positive = {
    ratePerSecond: options.ratePerSecond,
    maxDurationMs: options.maxDurationMs,
    timeoutMs: options.timeoutMs,
    bucketMs: options.bucketMs,
  };
  for (const [name, value] of Object.entries(positive)) {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be more than 0 (got ${value})`);
  }
  if (!(options.writeRatio >= 0 && options.writeRatio <= 1)) {
    throw new Error(`writeRatio must be from 0 to 1 (got ${options.writeRatio})`);
  }
}

async function generate(
  options: LoadOptions,
  bases: Record<Target, URL>,
  log: RequestLog,
  elapsed: () => number,
): Promise<{ durationMs: number; failures: FailureSample[] }> {
  const agent = new Agent({ keepAlive: true });
  const random = options.random ?? Math.random;
  const ids: string[] = [];
  const failures: FailureSample[] = [];
  const inFlight = new Set<Promise<void>>();

  const send = (sequence: number): void => {
    const target = options.pick();
    const atMs = elapsed();
    const index = log.sent(atMs, target);
    // Writes are spread evenly: request n is a write when n × ratio crosses a whole number.
    const write = Math.floor((sequence + 1) * options.writeRatio) > Math.floor(sequence * options.writeRatio);
    const spec = requestFor(write, ids, random);
    const request = sendRequest(agent, bases[target], spec, options.timeoutMs).then((answer) => {
      log.finished(index, answer.outcome, elapsed() - atMs);
      if (answer.outcome === 'ok' && write) rememberId(ids, answer.body);
      if (answer.outcome !== 'ok' && failures.length < KEPT_FAILURES) {
        failures.push({ atMs, target, kind: answer.outcome, detail: answer.detail ?? 'failed' });
      }
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };

  let sent = 0;
  let durationMs = 0;
  try {
    while (sent < log.capacity && !options.signal.aborted) {
      const due = Math.min(log.capacity, Math.floor((elapsed() * options.ratePerSecond) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent >= log.capacity) break;
      const nextDueMs = (sent * 1000) / options.ratePerSecond;
      await pause(nextDueMs - elapsed(), options.signal);
    }
    durationMs = Math.min(elapsed(), options.maxDurationMs);
  } finally {
    // Also when `pick` throws: no request is left running, no socket left open.
    await Promise.all(inFlight);
    agent.destroy();
  }
  return { durationMs, failures };
}

function requestFor(write: boolean, ids: readonly string[], random: () => number): RequestSpec {
  if (write) {
    return {
      method: 'POST',
      path: '/orders',
      body: JSON.stringify({ item: 'load-test', quantity: 1 }),
      ok: (status) => status >= 200 && status < 300,
    };
  }
  const id = ids[Math.floor(random() * ids.length)];
  if (id === undefined)
    return { method: 'GET', path: '/healthz', ok: (status) => status >= 200 && status < 300 };
  // An order another side has not received yet (replication lag) is a 404, which users see as normal.
  return {
    method: 'GET',
    path: `/orders/${id}`,
    ok: (status) => (status >= 200 && status < 300) || status === 404,
  };
}

function rememberId(ids: string[], body: string | undefined): void {
  try {
    const { id } = JSON.parse(body ?? '') as { id?: unknown };
    if (typeof id !== 'string' && typeof id !== 'number') return;
    if (ids.length >= KEPT_IDS) ids.splice(0, ids.length - KEPT_IDS + 1);
    ids.push(String(id));
  } catch {
    // A 2xx without an id leaves nothing to read back.
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function live(log: RequestLog, nowMs: number): LiveLoad {
  const [first, end] = log.range(nowMs - LIVE_RATE_WINDOW_MS, Infinity);
  return {
    rps: ((end - first) * 1000) / LIVE_RATE_WINDOW_MS,
    total: log.size,
    failed: log.failed,
    p99Ms: log.latencyBetween(nowMs - LIVE_LATENCY_WINDOW_MS, Infinity).p99,
  };
}

function summarize(
  log: RequestLog,
  startedAt: number,
  durationMs: number,
  bucketMs: number,
  failures: readonly FailureSample[],
): LoadResult {
  const byTarget = { blue: { total: 0, failed: 0 }, green: { total: 0, failed: 0 } };
  let timeouts = 0;
  for (let index = 0; index < log.size; index += 1) {
    const counts = byTarget[log.target(index)];
    const outcome = log.outcome(index);
    counts.total += 1;
    if (outcome !== 'ok') counts.failed += 1;
    if (outcome === 'timeout') timeouts += 1;
  }
  const series: LoadBucket[] = [];
  for (let atMs = 0; atMs < durationMs; atMs += bucketMs) {
    series.push(bucket(log, atMs, Math.min(bucketMs, durationMs - atMs)));
  }
  return {
    requests: { total: log.size, failed: log.failed, timeouts, byTarget },
    latencyMs: log.latencyBetween(-Infinity, Infinity),
    series,
    startedAt,
    durationMs,
    failures,
  };
}

function bucket(log: RequestLog, atMs: number, spanMs: number): LoadBucket {
  const [first, end] = log.range(atMs, atMs + spanMs);
  const byTarget = { blue: 0, green: 0 };
  let failed = 0;
  for (let index = first; index < end; index += 1) {
    byTarget[log.target(index)] += 1;
    if (log.outcome(index) !== 'ok') failed += 1;
  }
  const p99Ms = log.latencyBetween(atMs, atMs + spanMs).p99;
  return { atMs, spanMs, sent: end - first, failed, byTarget, p99Ms };
}
