import { durationSeconds } from '../duration';
import type { Runbook } from './schema';

/** History events a run may use, leaving room under Step Functions' 25,000. */
export const HISTORY_EVENTS_BUDGET = 20_000;
/** The first poll of a batch comes after this, then the interval doubles up to the maximum. */
export const POLL_SECONDS = { first: 5, max: 30 } as const;
/** SendCommand's delivery timeout: a target that does not pick the command up in time fails. */
export const DELIVERY_TIMEOUT_SECONDS = 600;

export type Verdict = 'continue' | 'completed' | 'canary-failed' | 'max-errors';

/** How many targets the next SendCommand takes: the canary alone, then up to maxConcurrency. */
export function nextBatchSize(canaryDone: boolean, runbook: Pick<Runbook, 'rateControl'>): number {
  return canaryDone ? runbook.rateControl.maxConcurrency : 1;
}

export function nextPollSeconds(previous: number | undefined): number {
  return previous === undefined ? POLL_SECONDS.first : Math.min(previous * 2, POLL_SECONDS.max);
}

/**
 * What follows a finished batch: a failed canary stops everything; more failures after it than
 * maxErrors stop the rest; otherwise the next batch, until no target is left.
 */
export function verdictAfterBatch(input: {
  readonly canary: boolean;
  readonly batchFailed: number;
  readonly failedAfterCanary: number;
  readonly pending: number;
  readonly maxErrors: number;
}): Verdict {
  if (input.canary && input.batchFailed > 0) return 'canary-failed';
  if (input.failedAfterCanary > input.maxErrors) return 'max-errors';
  return input.pending > 0 ? 'continue' : 'completed';
}

function worstCaseBatches(runbook: Runbook): { batches: number; batchSeconds: number } {
  const { maxTargets, maxConcurrency } = runbook.rateControl;
  return {
    batches: 1 + Math.ceil((maxTargets - 1) / maxConcurrency),
    batchSeconds: DELIVERY_TIMEOUT_SECONDS + durationSeconds(runbook.timeout) * runbook.steps.length,
  };
}

/** The most history events a run can record: every batch polled until its timeout. */
export function worstCaseHistoryEvents(runbook: Runbook): number {
  const { batches, batchSeconds } = worstCaseBatches(runbook);
  let polls = 0;
  for (let waited = 0, interval: number | undefined; waited < batchSeconds; polls++) {
    interval = nextPollSeconds(interval);
    waited += interval;
  }
  const perPoll = 2 + 5 + 2; // Wait, Task, Choice
  const perBatch = 5 + polls * perPoll + 2; // SendCommand Task, polls, verdict Choice
  return 30 + batches * perBatch;
}

/** The longest a run can take (every batch to its deadline): the execution's timeout. */
export function worstCaseSeconds(runbook: Runbook): number {
  const { batches, batchSeconds } = worstCaseBatches(runbook);
  return batches * (batchSeconds + 2 * POLL_SECONDS.max + 60) + 600;
}
