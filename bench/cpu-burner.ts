import { spawn, type ChildProcess } from 'node:child_process';

/** Busy-loop processes that each keep one core busy until stopped, or `maxMs` at most. */
export interface CpuBurner {
  readonly pids: readonly number[];
  /** Kills the burners and waits until they have exited. */
  stop(): Promise<void>;
}

/** The burner's program; its text also tells it apart in the process table. */
export const BUSY_LOOP = `const end = Date.now() + Number(process.argv[1]); let x = 0; while (Date.now() < end) x = (x + 1) % 1e9;`;

/** Starts `count` busy-loop processes next to this one; they never outlive `maxMs`. */
export function startCpuBurners(count: number, maxMs: number): CpuBurner {
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', BUSY_LOOP, String(maxMs)], { stdio: 'ignore' }),
  );
  const exited = children.map(
    (child) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
      ),
  );
  return {
    pids: children.flatMap((child) => (child.pid === undefined ? [] : [child.pid])),
    stop: async () => {
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(exited);
    },
  };
}
