import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ConnectionInfo } from '../postgres-pair';
import { AppRequests, sendTo } from './app-requests';
import type { FromApp, SampleAppFault, SampleAppStats, Side } from './protocol';

export type { SampleAppFault, SampleAppStats, Side } from './protocol';

export interface SampleAppProps {
  readonly side: Side;
  /** The app's database name lookup (like a CNAME the cutover repoints), asked over IPC. */
  readonly resolveDatabase: () => Promise<ConnectionInfo>;
  /** How long the app uses an answer of `resolveDatabase` before asking again. */
  readonly databaseTtlMs: number;
  /**
   * Size of each database pool. Every connection is opened twice in a switchover (the freeze ends them,
   * then the new database needs its own), and each costs ~20 ms of server CPU (backend start, SCRAM):
   * measured at 300 req/s on 2 cores, pools of 10 stalled writes ~0.9 s where pools of 4 stalled ~0.45 s,
   * and 4 connections carry that load easily.
   * @default 4
   */
  readonly maxConnections?: number;
  /** The loopback port to listen on. @default - a free port the app picks */
  readonly port?: number;
  /** The deployment revision the app runs, answered by its health check. @default - none */
  readonly revision?: string;
  /** Makes the app process exit at start with this message (a task that fails to start). @default - it starts */
  readonly exitAtStart?: string;
  /**
   * Receives the app process's output lines.
   * @default - discarded; the last lines are kept for the error message when the app fails to start
   */
  readonly onLog?: (side: Side, line: string) => void;
}

export interface SampleApp {
  readonly side: Side;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The app process, e.g. to check that it is gone after `stop()`. */
  readonly pid: number;
  /** Replaces the current fault; `{}` clears it. */
  setFault(fault: SampleAppFault): Promise<void>;
  stats(): Promise<SampleAppStats>;
  /** Kills the app process and waits until it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

const REPO_ROOT = join(__dirname, '..', '..');
const APP_PROCESS = join(__dirname, 'app-process.ts');
const START_TIMEOUT_MS = 30_000;
const KILL_GRACE_MS = 2000;
const DEFAULT_MAX_CONNECTIONS = 4;
const LOG_TAIL_LINES = 40;

/** Starts the sample app in its own process, listening on a free loopback port. */
export async function startSampleApp(props: SampleAppProps): Promise<SampleApp> {
  if (!Number.isFinite(props.databaseTtlMs) || props.databaseTtlMs < 0) {
    throw new Error(`databaseTtlMs must be a number of milliseconds, 0 or more (got ${props.databaseTtlMs})`);
  }
  const maxConnections = props.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new Error(`maxConnections must be a whole number, 1 or more (got ${maxConnections})`);
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    throw new Error(
      `the sample app needs Node 22 or newer (this is ${process.version}); run through npm scripts or npx`,
    );
  }
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '-r', join(REPO_ROOT, 'bin', 'register.js'), APP_PROCESS],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: REPO_ROOT },
  );
  const tail: string[] = [];
  const log = (line: string): void => {
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
    props.onLog?.(props.side, line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (text: string) => text.split('\n').filter(Boolean).forEach(log));
  }
  let stopping: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) log(`the app process exited on its own (code ${code}, signal ${signal})`);
      resolve();
    });
    child.once('error', (error) => {
      log(`app process: ${error.message}`);
      if (child.pid === undefined) resolve(); // it never started, so it will not exit either
    });
  });
  const requests = new AppRequests(child, exited);
  child.on('message', (message: FromApp) => {
    if (message.type === 'resolve') answerResolve(child, message.id, props.resolveDatabase);
    else requests.receive(message);
  });

  const stop = (): Promise<void> => {
    stopping ??= kill(child, exited);
    return stopping;
  };
  try {
    const port = await listening(child, exited, { ...props, maxConnections }, tail);
    return {
      side: props.side,
      url: `http://127.0.0.1:${port}`,
      pid: child.pid as number,
      setFault: async (fault) => {
        await requests.ask((id) => ({ type: 'set-fault', id, fault }));
      },
      stats: async () => {
        const answer = await requests.ask((id) => ({ type: 'stats', id }));
        if (answer.type !== 'stats') throw new Error(`unexpected answer ${answer.type} from the sample app`);
        return answer.stats;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listening(
  child: ChildProcess,
  exited: Promise<void>,
  props: SampleAppProps & { readonly maxConnections: number },
  tail: readonly string[],
): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (reason: string): void => {
      clearTimeout(timer);
      reject(new Error(`the sample app (${props.side}) did not start: ${reason}\n${tail.join('\n')}`));
    };
    const timer = setTimeout(() => failed(`not listening after ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.on('message', (message: FromApp) => {
      if (message.type !== 'listening') return;
      clearTimeout(timer);
      resolve(message.port);
    });
    void exited.then(() => failed('the app process exited'));
    const { side, databaseTtlMs, maxConnections, port = 0, revision, exitAtStart } = props;
    sendTo(child, {
      type: 'start',
      side,
      databaseTtlMs,
      maxConnections,
      port,
      ...(revision ? { revision } : {}),
      ...(exitAtStart !== undefined ? { exitAtStart } : {}),
    });
  });
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const escalation = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  await exited;
  clearTimeout(escalation);
}

function answerResolve(child: ChildProcess, id: number, resolve: () => Promise<ConnectionInfo>): void {
  // A lookup that throws instead of rejecting must still be answered.
  Promise.resolve()
    .then(resolve)
    .then(
      (connection) => sendTo(child, { type: 'resolved', id, connection }),
      (error: unknown) =>
        sendTo(child, {
          type: 'resolve-failed',
          id,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
}
