import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { Runbook } from '../domain/runbook/schema';
import type { RunbookStepName } from '../workflow/runbook/steps';
import { invokeStep } from './fragments/invoke-step';

export type RunbookFunctions = Readonly<Record<RunbookStepName, IFunction>>;

export interface RunbookWorkflowProps {
  /** The validated runbook; it travels in the definition, so the workflow runs exactly what was reviewed. */
  readonly runbook: Runbook;
  /** The SSM Command document of the runbook. */
  readonly documentName: string;
  readonly functions: RunbookFunctions;
}

/**
 * A runbook run: prepare (late or duplicate schedule → skipped; resolve targets, none → fail), then
 * batches — the canary alone, then up to maxConcurrency targets — each sent with SendCommand and
 * polled until done; a failed canary or more than maxErrors failures stop the rest. Every path ends
 * in finish, which records the run, notifies, and fails the execution when the run failed.
 */
export function runbookWorkflow(scope: Construct, props: RunbookWorkflowProps): sfn.IChainable {
  const { functions } = props;
  const base = {
    runbook: props.runbook,
    execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
  };
  const run = sfn.JsonPath.objectAt('$.run');

  // `run` and `error` start empty, so finish can be reached from anywhere (the local engine and AWS
  // both fail a Task whose payload names a path that does not exist).
  const start = new sfn.Pass(scope, 'Start', {
    parameters: { request: sfn.JsonPath.entirePayload, run: {}, error: {} },
  });
  const finish = invokeStep(scope, 'Finish', functions['runbook-finish'], {
    payload: {
      ...base,
      request: sfn.JsonPath.objectAt('$.request'),
      run,
      error: sfn.JsonPath.objectAt('$.error'),
    },
    resultPath: '$.outcome',
  });
  const onError = <T extends sfn.TaskStateBase>(task: T): T => {
    task.addCatch(finish, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    return task;
  };

  const prepare = onError(
    invokeStep(scope, 'Prepare', functions['runbook-prepare'], {
      payload: { ...base, request: sfn.JsonPath.objectAt('$.request') },
      resultPath: '$.run',
    }),
  );
  const sendBatch = onError(
    invokeStep(scope, 'SendBatch', functions['runbook-send-batch'], {
      payload: { ...base, documentName: props.documentName, run },
      resultPath: '$.run',
    }),
  );
  const waitForBatch = new sfn.Wait(scope, 'WaitForBatch', {
    time: sfn.WaitTime.secondsPath('$.run.batch.pollSeconds'),
  });
  const pollBatch = onError(
    invokeStep(scope, 'PollBatch', functions['runbook-poll-batch'], {
      payload: { ...base, run },
      resultPath: '$.run',
    }),
  );
  const verdict = (value: string) => sfn.Condition.stringEquals('$.run.verdict', value);

  sendBatch
    .next(waitForBatch)
    .next(pollBatch)
    .next(
      new sfn.Choice(scope, 'BatchDone?')
        .when(verdict('polling'), waitForBatch)
        .when(verdict('continue'), sendBatch)
        .otherwise(finish),
    );
  return start
    .next(prepare)
    .next(
      new sfn.Choice(scope, 'Skip?')
        .when(sfn.Condition.or(verdict('skipped-late'), verdict('duplicate')), finish)
        .otherwise(sendBatch),
    );
}
