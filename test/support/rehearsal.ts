import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlanText } from '../../domain/plan/parse';
import { parseFault } from '../../local/rehearsal/faults';
import { runRehearsal, type RehearsalOutcome } from '../../local/rehearsal/run-rehearsal';

/**
 * The record locks of this Jest worker's rehearsals. Test files run side by side in several workers,
 * each rehearsing the demo plan on its own platform: in one shared directory they would refuse each other.
 */
export const WORKER_LOCK_DIRECTORY = join(
  tmpdir(),
  'cutover-rehearsal-locks',
  `jest-worker-${process.env['JEST_WORKER_ID'] ?? '1'}`,
);

/** The demo plan, rehearsed fast: 1 % of its durations, 100 requests/s. */
export function rehearseDemo(
  faults: string[] = [],
  plan = 'app-postgres-logical.yaml',
  baselineMs = 1500,
): Promise<RehearsalOutcome> {
  const text = readFileSync(join(__dirname, '..', '..', 'examples', plan), 'utf8');
  return runRehearsal({
    plan: parsePlanText(text).plan,
    timeScale: 0.01,
    ratePerSecond: 100,
    faults: faults.map(parseFault),
    baselineMs,
    cooldownMs: 500,
    lockDirectory: WORKER_LOCK_DIRECTORY,
  });
}
