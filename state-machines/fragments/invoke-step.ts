import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { WAIT_TIMEOUTS, type WaitKind } from '../../domain/context/execution-context';
import { ErrorNames, UNEXPECTED_ERRORS } from '../../domain/errors';
import { STEPS, type StepName } from '../../workflow/registry';

export type StepLambdaFunctions = Readonly<Record<StepName, IFunction>>;

/** Lambda service errors worth retrying for any step: the invocation itself never ran, or was refused. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** Every step function's timeout; a Task waits a little longer so the Lambda reports its own timeout first. */
export const STEP_LAMBDA_TIMEOUT = Duration.minutes(2);
export const WATCHER_LAMBDA_TIMEOUT = Duration.minutes(1);

export interface InvokeOptions {
  readonly payload: Record<string, unknown>;
  /** `'$'` makes the result the whole state. @default - the result is discarded */
  readonly resultPath?: string;
  /** Reshapes the result before it is placed at `resultPath`. @default - the result as returned */
  readonly resultSelector?: Record<string, unknown>;
  /** Steps whose AWS calls may be throttled; they are safe to repeat with the same input. @default true */
  readonly retryThrottling?: boolean;
  /**
   * Safe to run again: an unexpected error (crash, timeout) is retried 3 times with backoff before the
   * failure path. @default false
   */
  readonly idempotent?: boolean;
}

/** A Task that calls one step's Lambda function and keeps only its result (not the invoke metadata). */
export function invokeStep(
  scope: Construct,
  id: string,
  fn: IFunction,
  options: InvokeOptions,
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(options.payload),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    ...(options.resultSelector ? { resultSelector: options.resultSelector } : {}),
    // An explicit "ResultPath": "$" is what omitting it means; omitting it also suits the local engine.
    ...(options.resultPath === '$' ? {} : { resultPath: options.resultPath ?? sfn.JsonPath.DISCARD }),
    taskTimeout: sfn.Timeout.duration(STEP_LAMBDA_TIMEOUT.plus(Duration.seconds(10))),
  });
  withRetries(task, options.retryThrottling ?? true);
  if (options.idempotent) {
    task.addRetry({
      errors: [...UNEXPECTED_ERRORS],
      interval: Duration.seconds(1),
      maxAttempts: 3,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
  }
  return task;
}

/** invokeStep for one cutover step, retried on unexpected errors as the step declares (Step.idempotent). */
export function stepTask(
  scope: Construct,
  id: string,
  fns: StepLambdaFunctions,
  step: StepName,
  options: Omit<InvokeOptions, 'idempotent'>,
): tasks.LambdaInvoke {
  return invokeStep(scope, id, fns[step], { ...options, idempotent: STEPS[step].idempotent });
}

/**
 * A Task that hands a task token to a step and waits until the token is answered or the context's
 * timeout for this kind of wait (WAIT_TIMEOUTS) passes.
 */
export function waitForCallback(
  scope: Construct,
  id: string,
  fn: IFunction,
  options: InvokeOptions & { readonly wait: WaitKind },
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    // The payload carries the context, so a local engine, which reads TimeoutSecondsPath from the
    // effective input (the Lambda parameters) rather than the state input, finds the timeout there too.
    payload: sfn.TaskInput.fromObject({ ...options.payload, taskToken: sfn.JsonPath.taskToken }),
    retryOnServiceExceptions: false,
    resultPath: options.resultPath ?? sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.at(`${CONTEXT_PATH}.timeouts.${WAIT_TIMEOUTS[options.wait]}`),
  });
  return withRetries(task, false);
}

function withRetries(task: tasks.LambdaInvoke, retryThrottling: boolean): tasks.LambdaInvoke {
  task.addRetry({
    errors: LAMBDA_SERVICE_ERRORS,
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  if (retryThrottling) {
    task.addRetry({
      errors: [ErrorNames.Throttled, ErrorNames.PriorRequestNotComplete],
      interval: Duration.seconds(1),
      maxAttempts: 8,
      backoffRate: 2,
      maxDelay: Duration.seconds(30),
      jitterStrategy: sfn.JitterType.FULL,
    });
  }
  return task;
}

/** Where the state keeps the resolved execution context validate-plan returned. */
export const CONTEXT_PATH = '$.context';

/** What every step after validate-plan is given: the resolved execution context, never the plan. */
export const CONTEXT_FIELDS = { context: sfn.JsonPath.objectAt(CONTEXT_PATH) } as const;

/** The execution id, for the steps that need no more of the context. */
export const EXECUTION_FIELD = sfn.JsonPath.stringAt(`${CONTEXT_PATH}.execution`);

/**
 * After a wait, only an answer of its own kind goes on to `next`; any other answer goes to `onForged`
 * as a `ForgedAnswer` failure. So a pending approval relabelled as a bake in the control table, and
 * "promoted" by the health watcher, never approves the database switch.
 */
export function acceptAnswerOf(
  scope: Construct,
  id: string,
  kind: WaitKind,
  resultPath: string,
  targets: {
    readonly next: sfn.IChainable;
    readonly onForged: sfn.IChainable;
    /** The phase to record when `onForged` reads it (a notePhase target sets its own). */
    readonly phase?: string;
  },
): sfn.Choice {
  const answer = `${resultPath}.answer`;
  const forged = new sfn.Pass(scope, `${id}Forged`, {
    parameters: {
      ...(targets.phase ? { phase: targets.phase } : {}),
      Error: ErrorNames.ForgedAnswer,
      Cause: `the ${id} wait (${kind}) was answered with an answer of another kind`,
    },
    resultPath: '$.failure',
  });
  forged.next(targets.onForged);
  // Two Choices, not one And: comparing a field that is absent is a runtime error, which no Catch sees.
  const ofKind = new sfn.Choice(scope, `${id}AnswerKind`)
    .when(sfn.Condition.stringEquals(answer, kind), targets.next)
    .otherwise(forged);
  return new sfn.Choice(scope, `${id}Answered`)
    .when(sfn.Condition.isPresent(answer), ofKind)
    .otherwise(forged);
}
