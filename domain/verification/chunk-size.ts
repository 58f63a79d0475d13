/** The smallest and largest chunk a verification compares (the plan's chunkSize is the first one). */
export const CHUNK_ROWS = { min: 100, max: 1_000_000 } as const;

/**
 * How long one chunk should take. Small enough that a chunk which differs (often only replication lag)
 * is cheap to narrow down, and that a budget holds many chunks.
 */
export const TARGET_CHUNK_MS = 500;

/**
 * The next chunk's size, from how long the last one took: scaled toward `targetMs`, by at most
 * a factor of two either way (one slow chunk, e.g. a page fault storm, does not collapse it), within
 * CHUNK_ROWS.
 */
export function nextChunkSize(size: number, elapsedMs: number, targetMs = TARGET_CHUNK_MS): number {
  const factor = Math.min(2, Math.max(0.5, targetMs / Math.max(elapsedMs, 1)));
  return Math.min(CHUNK_ROWS.max, Math.max(CHUNK_ROWS.min, Math.round(size * factor)));
}

/**
 * Ranges that may still differ when the freeze begins: each is small, and the freeze checks them again.
 * More than this and green's data differs, whatever the lag: the cutover stops before freezing.
 */
export const MAX_DIFFERING_RANGES = 50;

/**
 * The share of its time a pass spends comparing: after each chunk it rests as long again, so that on a
 * database serving traffic it takes at most half a core on each side.
 */
export const PASS_DUTY_CYCLE = 0.5;
