/** What the workflow may be waiting on a human or the health watcher for. */
export type PendingKind = 'bake' | 'decision' | 'approval' | 'operator';

export interface RollbackRequest {
  readonly actor: string;
  readonly reason: string;
  readonly requestedAt: string;
}

export interface PendingWait {
  readonly kind: PendingKind;
  /** Step Functions task token; stored encrypted, never logged or returned to clients. */
  readonly taskToken: string;
  readonly since: string;
  /** Extra state the waiter needs (for a bake: its deadline, probes and counters). */
  readonly detail: Record<string, unknown>;
}

export interface ExecutionControl {
  readonly execution: string;
  readonly rollback?: RollbackRequest;
  readonly pending?: PendingWait;
}

/** The control record of a running execution: operator signals in, pending waits out. */
export interface ControlSignals {
  get(execution: string, signal?: AbortSignal): Promise<ExecutionControl>;
  /** Records a rollback request (first request wins; later ones are kept out). Returns the record. */
  requestRollback(
    execution: string,
    request: RollbackRequest,
    signal?: AbortSignal,
  ): Promise<ExecutionControl>;
  setPending(execution: string, pending: PendingWait, signal?: AbortSignal): Promise<void>;
  clearPending(execution: string, taskToken: string, signal?: AbortSignal): Promise<void>;
  /** Every execution with a pending wait of `kind` (the health watcher's work list). */
  listPending(kind: PendingKind, signal?: AbortSignal): Promise<ExecutionControl[]>;
}

/** Completes a waiting workflow step (Step Functions SendTaskSuccess/Failure, or the local runner). */
export interface TaskCallbacks {
  succeed(taskToken: string, output: Record<string, unknown>, signal?: AbortSignal): Promise<void>;
  fail(taskToken: string, error: string, cause: string, signal?: AbortSignal): Promise<void>;
}
