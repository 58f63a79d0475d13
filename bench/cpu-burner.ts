import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A process that keeps one core busy until it is stopped, or `maxMs` at most (it never outlives a bench). */
export interface CpuBurner {
  readonly pids: readonly number[];
  /** CPU seconds the burners have used so far (user + system), read from /proc. */
  cpuSeconds(): number;
  /** Kills the burners and waits until they have exited. */
  stop(): Promise<void>;
}

const BUSY_LOOP = `const end = Date.now() + Number(process.argv[1]); let x = 0; while (Date.now() < end) x = (x + 1) % 1e9;`;

/** Starts `count` busy-loop processes next to this one. */
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
  let used = 0;
  const sample = () => {
    const now = children.reduce((sum, child) => sum + cpuSecondsOf(child.pid), 0);
    used = Math.max(used, now);
    return used;
  };
  return {
    pids: children.flatMap((child) => (child.pid === undefined ? [] : [child.pid])),
    cpuSeconds: sample,
    stop: async () => {
      sample();
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(exited);
    },
  };
}

/** utime + stime of a live process, in seconds (0 once it is gone). */
function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after its closing parenthesis;
    // utime and stime are fields 14 and 15, in clock ticks (USER_HZ, 100 on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
