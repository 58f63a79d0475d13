import { stepHandler } from '../../lambdas/step-handler';
import type { RunbookExecutionInput } from '../../operations/start-runbook';
import type { RunbookPorts } from '../../workflow/runbook/ports';
import { RUNBOOK_STEP_NAMES, RUNBOOK_STEPS } from '../../workflow/runbook/steps';
import type { WorkflowDefinition } from '../workflow-definition';
import { startLocalStateMachine, type LocalExecution, type LocalLambdas } from '../workflow-runner';

export interface LocalRunbookExecutionOptions {
  /** The runbook's synthesized state machine (synthesizeWorkflowDefinition with its stateMachineName). */
  readonly workflow: WorkflowDefinition;
  readonly ports: RunbookPorts;
  readonly input: RunbookExecutionInput;
  readonly executionName: string;
}

/** Runs a runbook's synthesized workflow on the local engine, its Tasks going to the real step handlers. */
export function startLocalRunbookExecution(options: LocalRunbookExecutionOptions): LocalExecution {
  const lambdas = Object.fromEntries(
    RUNBOOK_STEP_NAMES.map((step) => [step, stepHandler(RUNBOOK_STEPS[step], async () => options.ports)]),
  ) as LocalLambdas;
  return startLocalStateMachine({
    workflow: options.workflow,
    lambdas,
    input: options.input,
    executionName: options.executionName,
    stateMachineName: 'RunbookWorkflow',
  });
}
