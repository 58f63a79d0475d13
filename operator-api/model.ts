import { outcomeOf } from '../domain/progress/outcome';
import type { Answer } from '../operations/answer-wait';
import type { Decision } from '../ports/decision-log';

/** What the operator API returns: plain JSON, the same for the CLI and the console. No task token ever. */
export type Outcome = 'running' | 'completed' | 'rolled_back' | 'failed';

export interface Weights {
  readonly blue: number;
  readonly green: number;
}

export interface ExecutionSummary {
  /** The execution name: what the CLI and the console's URLs use. */
  readonly execution: string;
  readonly executionArn: string;
  readonly plan: string;
  readonly status: string;
  readonly outcome: Outcome;
  readonly startedAt: string;
  readonly stoppedAt: string | null;
}

export interface PendingQuestion {
  readonly kind: 'decision' | 'approval' | 'operator';
  readonly question: string;
  /** Why it is asked, e.g. the health failure that paused the cutover. */
  readonly reason: string;
  readonly since: string;
  /** When the workflow stops waiting and takes its safe default. */
  readonly deadline: string | null;
  readonly answers: readonly Answer[];
}

export interface HealthView {
  readonly state: 'baking' | 'failed' | 'idle';
  readonly rounds: number | null;
  readonly consecutiveFailures: number | null;
  readonly message: string | null;
}

export interface ExecutionStatus extends ExecutionSummary {
  readonly phase: string;
  readonly step: { readonly index: number; readonly count: number; readonly greenPercent: number } | null;
  readonly weights: Weights;
  readonly health: HealthView;
  /** Replication lag as last observed, e.g. "120 B" (logical replication) or "3 s", or null. */
  readonly lag: string | null;
  readonly pending: PendingQuestion | null;
  readonly rollbackRequested: {
    readonly principal: string;
    readonly reason: string;
    readonly at: string;
  } | null;
  readonly cause: string | null;
}

export interface ExecutionHistory {
  readonly execution: string;
  readonly phases: readonly { readonly name: string; readonly startedAt: string; readonly endedAt: string }[];
  readonly weights: readonly { readonly at: string; readonly blue: number; readonly green: number }[];
  readonly decisions: readonly Decision[];
}

export interface StartResult {
  readonly execution: string;
  readonly executionArn: string;
  readonly status: string;
  /** False when this start began the execution; true when it reports one started before. */
  readonly existing: boolean;
}

/** Step Functions status (and error name, when it failed) → outcome. */
export function outcomeOfStatus(status: string, error: string | null | undefined): Outcome {
  if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return 'running';
  return outcomeOf(status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED', error ?? undefined);
}
