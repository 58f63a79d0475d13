import type { Plan } from '../domain/plan/schema';
import { Needs } from '../workflow/access';
import type { DecisionLog } from '../ports/decision-log';
import type { OperatorPorts } from '../operations/request-rollback';
import type { ExecutionHistory, ExecutionStatus, ExecutionSummary, StartResult } from './model';

/**
 * What the operator API's function needs of the control table on AWS: an execution's control record
 * and decisions, its rollback and pending attributes, new decisions (lib/operator-api.ts grants this).
 */
export const OPERATOR_BACKEND_ACCESS = [
  ...Needs.readExecution,
  ...Needs.signalExecution,
  ...Needs.recordDecisions,
] as const;

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
