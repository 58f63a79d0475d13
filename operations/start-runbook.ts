import { paginateListStateMachines, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { InputError } from '../domain/errors';

/** The name the stack gives a runbook's state machine. */
export const runbookStateMachineName = (runbook: string): string => `cutover-runbook-${runbook}`;

/** The input of a runbook execution: the same shape whether the schedule or an operator starts it. */
export interface RunbookExecutionInput {
  readonly startedBy: string;
  readonly trigger: 'schedule' | 'manual';
  /** Set by the schedule: a run later than the runbook's notAfter is skipped. */
  readonly scheduledTime?: string;
  /** Overrides the runbook's dryRun. @default - the runbook's */
  readonly dryRun?: boolean;
}

/** Starts a runbook's workflow on AWS (found by its name) and returns the execution ARN. */
export async function startRunbookExecution(
  client: SFNClient,
  runbook: string,
  input: RunbookExecutionInput,
): Promise<string> {
  const name = runbookStateMachineName(runbook);
  let arn: string | undefined;
  for await (const page of paginateListStateMachines({ client }, {})) {
    arn ??= page.stateMachines?.find((machine) => machine.name === name)?.stateMachineArn;
    if (arn) break;
  }
  if (!arn)
    throw new InputError(
      `runbook ${runbook}: no state machine ${name} in this account and region (is the stack deployed?)`,
    );
  const execution = await client.send(
    new StartExecutionCommand({
      stateMachineArn: arn,
      name: `manual-${randomUUID()}`,
      input: JSON.stringify(input),
    }),
  );
  return execution.executionArn!;
}
