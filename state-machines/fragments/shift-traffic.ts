import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ErrorNames } from '../../domain/errors';
import { CONTEXT_FIELDS, invokeStep, waitForCallback, type StepFunctions } from './invoke-step';
import { pollUntil } from './poll-until';
import { PROPAGATION_POLL } from './rollback';

/**
 * For each shift step, one at a time: set the weights, wait until INSYNC, wait one TTL, then bake —
 * a single task-token wait however long the bake, completed by the health watcher. A failed or
 * inconclusive bake either fails the step (the Map's Catch rolls back) or, when the plan says
 * `pause`, waits for an operator's decision whose timeout also fails the step.
 */
export function shiftTraffic(scope: Construct, fns: StepFunctions): sfn.Map {
  const setWeights = invokeStep(scope, 'SetWeights', fns['set-weights'], {
    payload: { ...CONTEXT_FIELDS, step: sfn.JsonPath.objectAt('$.step') },
    resultPath: '$.change',
  });
  const checkInSync = invokeStep(scope, 'CheckShiftInSync', fns['check-in-sync'], {
    payload: { execution: CONTEXT_FIELDS.execution, tickets: sfn.JsonPath.listAt('$.change.tickets') },
    resultPath: '$.sync',
  });
  const waitTtl = new sfn.Wait(scope, 'WaitOneTtl', { time: sfn.WaitTime.secondsPath('$.step.ttlSeconds') });
  const bake = waitForCallback(scope, 'Bake', fns['start-bake'], {
    payload: { ...CONTEXT_FIELDS, step: sfn.JsonPath.objectAt('$.step') },
    timeoutPath: '$.timeouts.bakeSeconds',
    resultPath: '$.bake',
  });
  const stepDone = new sfn.Succeed(scope, 'StepPromoted');
  const decide = waitForCallback(scope, 'AwaitHealthDecision', fns['await-human'], {
    payload: { ...CONTEXT_FIELDS, kind: 'decision', reason: sfn.JsonPath.stringAt('$.health.Cause') },
    timeoutPath: '$.timeouts.decisionSeconds',
    resultPath: '$.decision',
  }).next(stepDone);
  const stepFailed = new sfn.Fail(scope, 'StepFailed', {
    errorPath: '$.health.Error',
    causePath: '$.health.Cause',
  });
  const onFailure = new sfn.Choice(scope, 'PauseOnHealthFailure')
    .when(sfn.Condition.booleanEquals('$.flags.pauseOnHealthFailure', true), decide)
    .otherwise(stepFailed);
  const onInconclusive = new sfn.Choice(scope, 'PauseOnInconclusive')
    .when(sfn.Condition.booleanEquals('$.flags.pauseOnInconclusive', true), decide)
    .otherwise(stepFailed);
  bake.addCatch(onFailure, { errors: [ErrorNames.HealthCheckFailed], resultPath: '$.health' });
  bake.addCatch(onInconclusive, { errors: [ErrorNames.HealthInconclusive], resultPath: '$.health' });

  const oneStep = sfn.Chain.start(setWeights).next(
    pollUntil(scope, 'ShiftInSync', {
      check: checkInSync,
      donePath: '$.sync.inSync',
      interval: PROPAGATION_POLL,
      next: waitTtl,
    }),
  );
  waitTtl.next(bake);
  bake.next(stepDone);

  return new sfn.Map(scope, 'ShiftTraffic', {
    itemsPath: '$.steps',
    itemSelector: {
      ...CONTEXT_FIELDS,
      timeouts: sfn.JsonPath.objectAt('$.timeouts'),
      flags: sfn.JsonPath.objectAt('$.flags'),
      step: sfn.JsonPath.objectAt('$$.Map.Item.Value'),
    },
    maxConcurrency: 1,
    resultPath: sfn.JsonPath.DISCARD,
  }).itemProcessor(oneStep);
}
