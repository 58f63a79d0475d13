import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ErrorNames } from '../../domain/errors';
import { FAILURE_PATH, failureSummary } from './exits';
import {
  acceptAnswerOf,
  CONTEXT_FIELDS,
  stepTask,
  waitForCallback,
  type StepLambdaFunctions,
} from './invoke-step';

export interface ShiftTrafficProps {
  readonly fns: StepLambdaFunctions;
  /** Where any failure goes, with `{ Error, Cause }` at FAILURE_PATH. */
  readonly onFailure: sfn.IChainable;
  /** Where the workflow goes once every step is promoted. */
  readonly next: sfn.IChainable;
}

const STEP = '$.current.step';

/**
 * For each shift step in turn: set the weights, then bake — a single task-token wait, however long,
 * completed by the health watcher. The watcher judges health from the moment the weights change (a
 * failing green is caught while the change propagates) and promotes only once the change is INSYNC,
 * one TTL has passed and the bake has run its course. A failed or inconclusive
 * bake goes to `onFailure`, or, when the plan says `pause`, waits for an operator's decision whose
 * timeout also goes to `onFailure`.
 *
 * A loop over an index rather than a Map: a failed step then ends the shifting at once, and the
 * history holds no per-iteration bookkeeping.
 */
export function shiftTraffic(scope: Construct, props: ShiftTrafficProps): sfn.State {
  const { fns, onFailure } = props;
  const catchAll = <T extends sfn.TaskStateBase>(task: T): T =>
    task.addCatch(onFailure, { resultPath: FAILURE_PATH }) as T;

  const first = new sfn.Pass(scope, 'FirstStep', {
    result: sfn.Result.fromObject({ index: 0 }),
    resultPath: '$.cursor',
  });
  const select = new sfn.Pass(scope, 'SelectStep', {
    parameters: {
      step: sfn.JsonPath.arrayGetItem(
        sfn.JsonPath.listAt('$.context.steps'),
        sfn.JsonPath.numberAt('$.cursor.index'),
      ),
    },
    resultPath: '$.current',
  });
  const setWeights = catchAll(
    stepTask(scope, 'SetWeights', fns, 'set-weights', {
      payload: { ...CONTEXT_FIELDS, step: sfn.JsonPath.objectAt(STEP) },
      resultPath: '$.change',
    }),
  );
  const bake = waitForCallback(scope, 'Bake', fns['start-bake'], {
    payload: {
      ...CONTEXT_FIELDS,
      step: sfn.JsonPath.objectAt(STEP),
      tickets: sfn.JsonPath.listAt('$.change.tickets'),
    },
    wait: 'bake',
    resultPath: '$.bake',
  });
  const decide = catchAll(
    waitForCallback(scope, 'AwaitHealthDecision', fns['await-human'], {
      payload: {
        ...CONTEXT_FIELDS,
        kind: 'decision',
        reason: failureSummary(),
      },
      wait: 'decision',
      resultPath: '$.decision',
    }),
  );
  const onUnhealthy = new sfn.Choice(scope, 'PauseOnHealthFailure')
    .when(sfn.Condition.booleanEquals('$.context.flags.pauseOnHealthFailure', true), decide)
    .otherwise(onFailure);
  const onInconclusive = new sfn.Choice(scope, 'PauseOnInconclusive')
    .when(sfn.Condition.booleanEquals('$.context.flags.pauseOnInconclusive', true), decide)
    .otherwise(onFailure);
  bake.addCatch(onUnhealthy, { errors: [ErrorNames.HealthCheckFailed], resultPath: FAILURE_PATH });
  bake.addCatch(onInconclusive, { errors: [ErrorNames.HealthInconclusive], resultPath: FAILURE_PATH });
  catchAll(bake);

  const advance = new sfn.Pass(scope, 'NextStep', {
    parameters: { index: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.cursor.index'), 1) },
    resultPath: '$.cursor',
  });
  const more = new sfn.Choice(scope, 'MoreSteps')
    .when(sfn.Condition.numberLessThanJsonPath('$.cursor.index', '$.context.stepCount'), select)
    .otherwise(props.next);

  first.next(select);
  select.next(setWeights);
  setWeights.next(bake);
  bake.next(acceptAnswerOf(scope, 'Bake', 'bake', '$.bake', { next: advance, onForged: onFailure }));
  decide.next(
    acceptAnswerOf(scope, 'AwaitHealthDecision', 'decision', '$.decision', {
      next: advance,
      onForged: onFailure,
    }),
  );
  advance.next(more);
  return first;
}
