import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { parsePlanText } from '../../domain/plan/parse';
import { parseFault } from '../../local/rehearsal/faults';
import { runRehearsal, type RehearsalOutcome } from '../../local/rehearsal/run-rehearsal';
import type { ExecutionStatus } from '../../operator-api/model';
import { startRehearsalOperator } from '../../local/operator/rehearsal-operator';
import { captureIo } from './capture-io';
import { eventually } from './eventually';
import { WORKER_LOCK_DIRECTORY } from './rehearsal';

export const DEMO_PLAN = join(__dirname, '..', '..', 'examples', 'app-postgres-logical.yaml');

export interface OperatedRehearsal {
  /** The operator API (the CLI's --endpoint; the console is under /console/). */
  readonly url: string;
  readonly outcome: Promise<RehearsalOutcome>;
  /** The execution's name, once it runs. */
  execution(): Promise<string>;
  /** Runs the CLI against this rehearsal. */
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Polls the status until `predicate` holds. */
  statusUntil(predicate: (status: ExecutionStatus) => boolean, timeoutMs?: number): Promise<ExecutionStatus>;
  close(): Promise<void>;
}

/** The demo plan rehearsed fast (1 % of its durations) with a human operator: its API answers the gates. */
export async function operatedRehearsal(faults: string[] = []): Promise<OperatedRehearsal> {
  const operator = await startRehearsalOperator();
  const stop = new AbortController();
  const outcome = runRehearsal({
    signal: stop.signal,
    plan: parsePlanText(readFileSync(DEMO_PLAN, 'utf8')).plan,
    timeScale: 0.01,
    ratePerSecond: 50,
    faults: faults.map(parseFault),
    baselineMs: 1500,
    cooldownMs: 200,
    operator: 'human',
    lockDirectory: WORKER_LOCK_DIRECTORY,
    onStart: (live) => operator.backend.attach(live),
  });
  outcome.catch(() => undefined);
  const cli = async (...args: string[]) => {
    const io = captureIo();
    const code = await main([...args, '--endpoint', operator.server.url], io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  };
  const execution = () =>
    eventually(async () => {
      const { stdout } = await cli('list', '-o', 'json');
      const [first] = JSON.parse(stdout) as { execution: string }[];
      if (!first) throw new Error('no execution yet');
      return first.execution;
    }, 60_000);
  return {
    url: operator.server.url,
    outcome,
    execution,
    cli,
    statusUntil: async (predicate, timeoutMs = 90_000) => {
      const name = await execution();
      return eventually(
        async () => {
          const { stdout } = await cli('status', name, '-o', 'json');
          const status = JSON.parse(stdout) as ExecutionStatus;
          if (!predicate(status)) throw new Error(`status not reached: ${status.phase} ${status.outcome}`);
          return status;
        },
        timeoutMs,
        200,
      );
    },
    /** Ends the rehearsal (aborted, if a failed test left it waiting for a human), then its API. */
    close: async () => {
      stop.abort();
      await outcome.catch(() => undefined);
      await operator.server.close();
    },
  };
}
