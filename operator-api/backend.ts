import type { Plan } from '../domain/plan/schema';
import type { DecisionLog } from '../ports/decision-log';
import type { OperatorPorts } from '../operations/request-rollback';
import type { ExecutionHistory, ExecutionStatus, ExecutionSummary, StartResult } from './model';

/**
 * Where the operator API's executions run: Step Functions and the control table on AWS, or the local
 * rehearsal in this process. Answers and rollbacks go through `ports` (operations/), decisions to `decisions`.
 */
export interface OperatorBackend {
  readonly ports: OperatorPorts;
  readonly decisions: DecisionLog;
  /** Starts the plan (validated) as execution `name`, or reports the execution already under that name. */
  start(plan: Plan, name: string, signal?: AbortSignal): Promise<StartResult>;
  list(signal?: AbortSignal): Promise<ExecutionSummary[]>;
  /** Throws NoSuchExecutionError for an unknown name. */
  status(execution: string, signal?: AbortSignal): Promise<ExecutionStatus>;
  history(execution: string, signal?: AbortSignal): Promise<ExecutionHistory>;
}
