import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { databaseSwitchover } from './fragments/database-switchover';
import { exitPath, FAILURE_PATH, notePhase } from './fragments/exits';
import { CONTEXT_FIELDS, stepTask, type StepLambdaFunctions } from './fragments/invoke-step';
import { pollUntil } from './fragments/poll-until';
import { rollbackPath } from './fragments/rollback';
import { shiftTraffic } from './fragments/shift-traffic';

/**
 * The cutover workflow: validate → lock → preflight → deploy green → shift traffic step by step →
 * database switchover → finalize. Input: `{ "plan": <the plan as JSON> }`.
 *
 * Exits: before the lock nothing is touched (fail); preflight and deploy failures release the lock
 * without touching traffic; shift and database-preparation failures go down the one rollback path;
 * from the database switch on, failures wait for an operator.
 */
export function cutoverWorkflow(scope: Construct, fns: StepLambdaFunctions): sfn.IChainable {
  const start = new sfn.Pass(scope, 'Start', {
    parameters: { plan: sfn.JsonPath.objectAt('$.plan'), execution: sfn.JsonPath.executionId },
  });
  const validate = stepTask(scope, 'ValidatePlan', fns, 'validate-plan', {
    payload: { plan: sfn.JsonPath.objectAt('$.plan'), execution: sfn.JsonPath.stringAt('$.execution') },
    // The state holds the resolved context from here on; the plan itself is not carried any further.
    resultSelector: { context: sfn.JsonPath.objectAt('$') },
    resultPath: '$',
    retryThrottling: false,
  });
  validate.addCatch(
    new sfn.Fail(scope, 'PlanRejected', {
      errorPath: `${FAILURE_PATH}.Error`,
      causePath: `${FAILURE_PATH}.Cause`,
    }),
    { resultPath: FAILURE_PATH },
  );

  const acquire = stepTask(scope, 'AcquireLock', fns, 'acquire-lock', {
    payload: { ...CONTEXT_FIELDS, lockSeconds: sfn.JsonPath.numberAt('$.context.timeouts.lockSeconds') },
  });
  acquire.addCatch(
    new sfn.Fail(scope, 'LockRefused', {
      errorPath: `${FAILURE_PATH}.Error`,
      causePath: `${FAILURE_PATH}.Cause`,
    }),
    { resultPath: FAILURE_PATH },
  );

  const stopped = exitPath(scope, 'CutoverStopped', fns, 'failed', 'CutoverStopped');
  const rollback = rollbackPath(scope, fns);
  const completed = exitPath(scope, 'CutoverCompleted', fns, 'completed', 'CutoverCompleted');

  const preflight = stepTask(scope, 'Preflight', fns, 'preflight', { payload: { ...CONTEXT_FIELDS } });
  preflight.addCatch(notePhase(scope, 'NotePreflightFailure', 'preflight', stopped), {
    resultPath: FAILURE_PATH,
  });

  const noteDeployFailure = notePhase(scope, 'NoteDeployFailure', 'deploy', stopped);
  const startDeploy = stepTask(scope, 'StartDeploy', fns, 'start-deploy', {
    payload: { ...CONTEXT_FIELDS },
    resultPath: '$.deploy',
  });
  const checkDeploy = stepTask(scope, 'CheckDeploy', fns, 'check-deploy', {
    payload: {
      ...CONTEXT_FIELDS,
      startedAt: sfn.JsonPath.stringAt('$.deploy.startedAt'),
      rollbackTo: sfn.JsonPath.stringAt('$.deploy.rollbackTo'),
    },
    resultPath: '$.deploy',
  });
  for (const task of [startDeploy, checkDeploy])
    task.addCatch(noteDeployFailure, { resultPath: FAILURE_PATH });
  // An operator's rollback during the deploy is honoured like any failure there: nothing has shifted yet.

  const database = databaseSwitchover(scope, { fns, rollback, next: completed });
  const hasDatabase = new sfn.Choice(scope, 'HasDatabase')
    .when(sfn.Condition.stringEquals('$.context.flags.database', 'none'), completed)
    .otherwise(database);
  const shift = shiftTraffic(scope, {
    fns,
    onFailure: notePhase(scope, 'NoteShiftFailure', 'shift', rollback),
    next: hasDatabase,
  });

  const deployed = new sfn.Choice(scope, 'Deployed')
    .when(sfn.Condition.booleanEquals('$.deploy.done', true), shift)
    .otherwise(
      pollUntil(scope, 'DeployComplete', {
        check: checkDeploy,
        donePath: '$.deploy.done',
        interval: Duration.seconds(30),
        next: shift,
      }),
    );

  return sfn.Chain.start(start).next(validate).next(acquire).next(preflight).next(startDeploy).next(deployed);
}
