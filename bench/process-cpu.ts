import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used by a process tree while a bench part ran, by kind of process. */
export interface CpuWatch {
  /** Stops sampling; CPU seconds per kind (this process, including its worker threads, counts as "bench"). */
  stop(): Map<string, number>;
}

const SAMPLE_MS = 500;
/** Linux's USER_HZ: /proc times are in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * Samples /proc every 500 ms for the processes descending from this one and keeps each one's CPU time
 * (utime + stime) as last seen, so processes that exit before the end still count.
 * @param kindOf names a process from its command line, e.g. "postgres" or "sample app"
 */
export function watchDescendantCpu(kindOf: (commandLine: string) => string): CpuWatch {
  const root = process.pid;
  const seen = new Map<number, { kind: string; seconds: number }>();
  const startedWith = process.cpuUsage();
  const sample = () => {
    const stats = readStats();
    const children = new Map<number, number[]>();
    for (const stat of stats.values()) {
      children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
    }
    const queue = [...(children.get(root) ?? [])];
    for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
      const stat = stats.get(pid);
      if (!stat) continue;
      // Named again each time: right after a fork, a child still shows its parent's command line.
      seen.set(pid, { kind: kindOf(commandLine(pid)), seconds: stat.cpuSeconds });
      queue.push(...(children.get(pid) ?? []));
    }
  };
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();
  sample();
  return {
    stop: () => {
      sample();
      clearInterval(timer);
      const used = process.cpuUsage(startedWith);
      const byKind = new Map<string, number>([['bench', (used.user + used.system) / 1e6]]);
      for (const { kind, seconds } of seen.values()) byKind.set(kind, (byKind.get(kind) ?? 0) + seconds);
      return byKind;
    },
  };
}

interface ProcessStat {
  readonly pid: number;
  readonly ppid: number;
  readonly cpuSeconds: number;
}

function readStats(): Map<number, ProcessStat> {
  const stats = new Map<number, ProcessStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name (which may hold spaces): state, ppid, …; utime and stime are fields 14, 15.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), {
        pid: Number(entry),
        ppid: Number(fields[1]),
        cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      });
    } catch {
      // The process exited while /proc was read.
    }
  }
  return stats;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
