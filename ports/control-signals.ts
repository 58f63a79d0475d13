import type { WaitKind } from '../domain/context/execution-context';

/** What the workflow may be waiting on a human or the health watcher for. */
export type PendingKind = WaitKind;

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
  /**
   * Replaces the detail of the wait that holds `taskToken`, and only of that wait: false when it was
   * answered or replaced meanwhile (a stale read must never restore an older wait).
   */
  updatePending(
    execution: string,
    taskToken: string,
    detail: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<boolean>;
  /** Takes the watcher's lease until `until` unless another owner holds it: one watcher at a time. */
  claimWatcher(owner: string, now: Date, until: Date, signal?: AbortSignal): Promise<boolean>;
  releaseWatcher(owner: string, signal?: AbortSignal): Promise<void>;
  clearPending(execution: string, taskToken: string, signal?: AbortSignal): Promise<void>;
  /** Every execution with a pending wait of `kind` (the health watcher's work list). */
  listPending(kind: PendingKind, signal?: AbortSignal): Promise<ExecutionControl[]>;
}

/** Completes a waiting workflow step (Step Functions SendTaskSuccess/Failure, or the local runner). */
export interface TaskCallbacks {
  succeed(taskToken: string, output: Record<string, unknown>, signal?: AbortSignal): Promise<void>;
  fail(taskToken: string, error: string, cause: string, signal?: AbortSignal): Promise<void>;
}

/** Turns the health watcher's schedule on while a bake is pending and off when none is: idle costs nothing. */
export interface WatcherSchedule {
  start(signal?: AbortSignal): Promise<void>;
  stop(signal?: AbortSignal): Promise<void>;
}
