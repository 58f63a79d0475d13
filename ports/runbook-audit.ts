/** What one target did in a runbook run. */
export interface TargetResult {
  readonly target: string;
  /** SSM's invocation status (Success, Failed, TimedOut, …), or the local exit's equivalent. */
  readonly status: string;
  /** The script's own verdict: changed, unchanged, skipped, failed, escalated; absent when it printed none. */
  readonly outcome?: string;
  /** The script's JSON result (what it changed, or would change in a dry run), possibly shortened. */
  readonly result?: unknown;
}

export type RunOutcome =
  'completed' | 'failed' | 'skipped-late' | 'duplicate' | 'no-targets' | 'canary-failed' | 'max-errors';

/** The audit record of one runbook run, scheduled or manual, on AWS or on this host. */
export interface RunbookRunRecord {
  readonly runbook: string;
  readonly runId: string;
  /** Who or what started it: `schedule:<name>`, `cli:<user>@<host>`, an IAM principal ARN. */
  readonly startedBy: string;
  readonly trigger: 'schedule' | 'manual';
  readonly where: 'aws' | 'local';
  readonly dryRun: boolean;
  readonly scheduledTime?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly outcome: RunOutcome;
  readonly reason?: string;
  readonly targets: readonly string[];
  readonly results: readonly TargetResult[];
  /** Targets whose script reported a change. */
  readonly changed: readonly string[];
}

/** Append-only log of runbook runs. */
export interface RunbookAudit {
  record(run: RunbookRunRecord, signal?: AbortSignal): Promise<void>;
  /** The most recent runs of a runbook, newest first. */
  history(runbook: string, limit: number, signal?: AbortSignal): Promise<RunbookRunRecord[]>;
}
