/**
 * The sample app, one process per side (see start-sample-app.ts). It exits when the parent goes away
 * (the IPC channel closes), so it never outlives the rehearsal.
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabasePools } from './database-pools';
import { DatabaseResolver } from './database-resolver';
import { createOrdersServer } from './orders-server';
import { ParentChannel, send } from './parent-channel';
import type { SampleAppFault, ToApp } from './protocol';
import { RetryingDatabase } from './retrying-database';

const channel = new ParentChannel();
let fault: SampleAppFault = {};
let database: RetryingDatabase | undefined;
let started = false;

const WARM_UP_LIMIT_MS = 3000;

async function start(message: Extract<ToApp, { type: 'start' }>): Promise<void> {
  const { side, databaseTtlMs, maxConnections, port, revision } = message;
  if (message.exitAtStart !== undefined) {
    process.stderr.write(`${message.exitAtStart}\n`);
    process.exit(1);
  }
  const pools = new DatabasePools(maxConnections);
  const resolver = new DatabaseResolver({
    resolve: () => channel.resolveDatabase(),
    ttlMs: databaseTtlMs,
    // Dropping a pool on every failed query would reconnect in a storm while the old database is frozen:
    // its pool goes once the name points elsewhere, and pg already discards broken connections.
    onChange: (previous, next) => {
      pools.drop(previous);
      void pools.warm(next);
    },
  });
  const retrying = new RetryingDatabase({ resolver, pools });
  database = retrying;
  // An app that opens its connections when the first requests arrive shows a latency spike that is
  // not the cutover's doing; a database that is not there yet is looked up again on first use.
  await Promise.race([
    resolver.current().then((target) => pools.warm(target)),
    sleep(WARM_UP_LIMIT_MS),
  ]).catch(() => undefined);
  const server = createOrdersServer({
    side,
    ...(revision ? { revision } : {}),
    database: retrying,
    fault: () => fault,
  });
  // A fixed port is shared with the task being replaced until it stops (a rolling update at one address).
  server.listen({ port, host: '127.0.0.1', reusePort: port !== 0 }, () => {
    send({ type: 'listening', port: (server.address() as AddressInfo).port });
  });
}

process.on('message', (message: ToApp) => {
  switch (message.type) {
    case 'start':
      if (!started) {
        started = true;
        void start(message);
      }
      return;
    case 'set-fault':
      fault = message.fault;
      send({ type: 'fault-set', id: message.id });
      return;
    case 'stats':
      send({
        type: 'stats',
        id: message.id,
        stats: database?.stats() ?? {
          longestWriteStallMs: 0,
          writeStalls: [],
          writes: 0,
          reads: 0,
          retries: 0,
        },
      });
      return;
    default:
      channel.receive(message);
  }
});
process.on('disconnect', () => process.exit(0));
