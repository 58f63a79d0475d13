import type { ExecutionContext } from '../domain/context/execution-context';

/**
 * Runs the finalize step once, later: when blue's retention (`keepBlueFor`) ends after a completed
 * cutover, with the execution's context. Idempotent per execution: scheduling again changes nothing.
 */
export interface FinalizeSchedule {
  schedule(context: ExecutionContext, at: Date, signal?: AbortSignal): Promise<void>;
}
