import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A directory where processes running the same code share what they synthesized. The test suite names
 * a fresh one for each run (test/support/global-setup.ts), so its files synthesize each definition once
 * rather than once each (seconds of CPU apiece). Unset, nothing is cached.
 */
export const SYNTHESIS_CACHE_ENV = 'CUTOVER_SYNTHESIS_CACHE';

/** What `synthesize` returns for `inputs` (plain JSON both), read from the cache when it is there. */
export function cachedSynthesis<T>(inputs: unknown, synthesize: () => T): T {
  const cache = process.env[SYNTHESIS_CACHE_ENV];
  if (!cache) return synthesize();
  const key = createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
  const file = join(cache, `${key}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
  const result = synthesize();
  // Written whole, then renamed: a process reading at the same moment never sees half of it.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(result));
  renameSync(partial, file);
  return result;
}
