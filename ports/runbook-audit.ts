/** What one target did in a runbook run. */
export interface TargetResult {
  readonly target: string;
  /** SSM's invocation status (Success, Failed, TimedOut, …), or the local exit's equivalent. */
  readonly status: string;
  /** The script's own verdict: changed, unchanged, skipped, failed, escalated; absent when it printed none. */
  readonly outcome?: string;
  /** The script's JSON result (local runs), or a one-line summary of it (runs on AWS). */
  readonly result?: unknown;
  /** What the script changed (or would change in a dry run), in a few words. */
  readonly summary?: string;
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
  /**
   * Claims a scheduled time for one run: false when a run for it already exists (the schedule's
   * retries and duplicate deliveries start the workflow again; only the first one runs).
   */
  claimScheduledTime(
    runbook: string,
    scheduledTime: string,
    runId: string,
    signal?: AbortSignal,
  ): Promise<boolean>;
  /** The most recent runs of a runbook, newest first. */
  history(runbook: string, limit: number, signal?: AbortSignal): Promise<RunbookRunRecord[]>;
}
