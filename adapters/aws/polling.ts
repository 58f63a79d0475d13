import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or rejects when `signal` aborts. Injected so tests poll instantly. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : {});
};
