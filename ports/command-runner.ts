/** One SendCommand of a runbook's document to a batch of targets. */
export interface CommandRequest {
  readonly documentName: string;
  readonly targets: readonly string[];
  readonly dryRun: boolean;
  /** How long a target may take to pick the command up. */
  readonly deliveryTimeoutSeconds: number;
  readonly comment: string;
}

/** Where one target is with the command: SSM's invocation status and each step's output. */
export interface Invocation {
  readonly target: string;
  /** Pending, InProgress, Delayed, Success, Failed, TimedOut, Cancelled, Cancelling, … */
  readonly status: string;
  /** Each document step's output (SSM keeps the first 2,500 characters here). */
  readonly outputs: readonly string[];
}

/** Runs a document on managed instances and reports how each invocation went. */
export interface CommandRunner {
  send(request: CommandRequest, signal?: AbortSignal): Promise<string>;
  invocations(commandId: string, signal?: AbortSignal): Promise<Invocation[]>;
}

/** Invocation statuses after which nothing more happens on the target. */
export const FINAL_STATUSES = new Set([
  'Success',
  'Failed',
  'TimedOut',
  'Cancelled',
  'Undeliverable',
  'Terminated',
  'InvalidPlatform',
  'AccessDenied',
  'DeliveryTimedOut',
  'ExecutionTimedOut',
]);
