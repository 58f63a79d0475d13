import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { exitPath, FAILURE_PATH } from './exits';
import { CONTEXT_FIELDS, EXECUTION_FIELD, invokeStep, type StepLambdaFunctions } from './invoke-step';
import { pollUntil } from './poll-until';

/** Route 53 reports INSYNC within 60 s: polling every 20 s keeps a slow change to 3 polls. */
export const PROPAGATION_POLL = Duration.seconds(20);

/**
 * The single rollback path before the point of no return: blue 100 % and writes unfrozen, wait until
 * the change is INSYNC, record, release the lock, fail with the phase and reason.
 */
export function rollbackPath(scope: Construct, fns: StepLambdaFunctions): sfn.Chain {
  const rollback = invokeStep(scope, 'Rollback', fns.rollback, {
    payload: { ...CONTEXT_FIELDS },
    resultPath: '$.rollback',
  });
  // Rolling back is idempotent (set weights, unfreeze): retry it harder than anything else.
  rollback.addRetry({
    errors: ['States.TaskFailed'],
    interval: Duration.seconds(5),
    maxAttempts: 4,
    backoffRate: 2,
  });
  const check = invokeStep(scope, 'CheckRollbackInSync', fns['check-in-sync'], {
    payload: {
      execution: EXECUTION_FIELD,
      tickets: sfn.JsonPath.listAt('$.rollback.tickets'),
      checkRollback: false,
    },
    resultPath: '$.rollbackSync',
  });
  const rolledBack = exitPath(scope, 'CutoverRolledBack', fns, 'rolled_back', 'CutoverRolledBack');
  const rollbackFailed = exitPath(scope, 'RollbackFailed', fns, 'failed', 'RollbackFailed');
  rollback.addCatch(rollbackFailed, { resultPath: `${FAILURE_PATH}.rollback` });
  check.addCatch(rollbackFailed, { resultPath: `${FAILURE_PATH}.rollback` });
  return sfn.Chain.start(rollback).next(
    pollUntil(scope, 'RollbackInSync', {
      check,
      donePath: '$.rollbackSync.inSync',
      interval: PROPAGATION_POLL,
      next: rolledBack,
    }),
  );
}
