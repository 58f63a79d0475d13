import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Retries `check` until it returns without throwing, or rethrows its last error after `timeoutMs`.
 * For conditions that become true asynchronously (replication catching up, a slot being released).
 */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(intervalMs);
  }
}
