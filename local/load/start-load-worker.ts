import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LatencySummary, LiveLoad, LoadResult } from './load-types';
import type { WorkerCommand, WorkerEvent, WorkerInput } from './load-worker-protocol';

export interface LoadWorker {
  /** Epoch ms of the first request; series and latency windows count from here. */
  readonly startedAt: number;
  live(): LiveLoad;
  /** The share of fresh DNS answers that point to green (the weights being served). */
  setGreenPercent(percent: number): void;
  /** Stops sending; the result settles once requests in flight are answered. */
  stop(): void;
  readonly result: Promise<LoadResult>;
  latencyBetween(fromMs: number, toMs: number): Promise<LatencySummary>;
  /** Ends the worker thread; safe to call more than once. */
  close(): Promise<void>;
}

const REGISTER = join(__dirname, '..', '..', 'bin', 'register.js');

/** Runs the load generator (runLoad, with DNS-caching clients) in a worker thread. */
export async function startLoadWorker(input: WorkerInput): Promise<LoadWorker> {
  const worker = new Worker(join(__dirname, 'load-worker.ts'), {
    workerData: input,
    execArgv: ['-r', REGISTER],
  });
  const send = (command: WorkerCommand) => worker.postMessage(command);
  let live: LiveLoad = { rps: 0, total: 0, failed: 0, p99Ms: 0 };
  let resolveResult: (result: LoadResult) => void = () => undefined;
  let rejectResult: (error: Error) => void = () => undefined;
  const result = new Promise<LoadResult>(
    (resolve, reject) => ((resolveResult = resolve), (rejectResult = reject)),
  );
  result.catch(() => undefined);
  const latencies = new Map<
    number,
    { resolve: (summary: LatencySummary) => void; reject: (error: Error) => void }
  >();
  let nextId = 0;
  const startedAt = await new Promise<number>((resolve, reject) => {
    worker.on('message', (event: WorkerEvent) => {
      if (event.type === 'started') resolve(event.startedAt);
      else if (event.type === 'live') live = event.live;
      else if (event.type === 'result') resolveResult(event.result);
      else latencies.get(event.id)?.resolve(event.summary);
    });
    worker.once('error', (error) => {
      reject(error);
      rejectResult(error);
      // A question the dead worker will never answer fails rather than hangs.
      for (const pending of latencies.values()) pending.reject(error);
      latencies.clear();
    });
  });
  let closed = false;
  return {
    startedAt,
    live: () => live,
    setGreenPercent: (greenPercent) => send({ type: 'weights', greenPercent }),
    stop: () => send({ type: 'stop' }),
    result,
    latencyBetween: (fromMs, toMs) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        latencies.set(id, {
          resolve: (summary) => {
            latencies.delete(id);
            resolve(summary);
          },
          reject,
        });
        send({ type: 'latency', id, fromMs, toMs });
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
  };
}
