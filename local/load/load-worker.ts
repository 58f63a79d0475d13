/**
 * Worker thread that generates the rehearsal's load, so that the cutover's own work in the main
 * thread (state machine, step handlers) cannot stall the clients and skew their latencies.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDnsClients } from './dns-clients';
import type { WorkerCommand, WorkerEvent, WorkerInput } from './load-worker-protocol';
import { runLoad } from './run-load';

const input = workerData as WorkerInput;
const port = parentPort!;
const send = (event: WorkerEvent) => port.postMessage(event);
let greenPercent = 0;
const clients = createDnsClients({
  count: input.clients,
  ttlMs: input.ttlMs,
  resolve: () => (Math.random() * 100 < greenPercent ? 'green' : 'blue'),
});
const stop = new AbortController();
const run = runLoad({ ...input.load, pick: () => clients.pick(), signal: stop.signal });
send({ type: 'started', startedAt: run.startedAt });

port.on('message', (command: WorkerCommand) => {
  if (command.type === 'weights') greenPercent = command.greenPercent;
  else if (command.type === 'stop') stop.abort();
  else send({ type: 'latency', id: command.id, summary: run.latencyBetween(command.fromMs, command.toMs) });
});
const ticker = setInterval(() => send({ type: 'live', live: run.live() }), 100);
void run.result.then((result) => {
  clearInterval(ticker);
  send({ type: 'live', live: run.live() });
  send({ type: 'result', result });
});
