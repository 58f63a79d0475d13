import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlanText } from '../../domain/plan/parse';
import { parseFault } from '../../local/rehearsal/faults';
import { runRehearsal, type RehearsalOutcome } from '../../local/rehearsal/run-rehearsal';

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
  });
}
