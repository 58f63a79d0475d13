import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ErrorNames } from '../../domain/errors';
import { exitPath, FAILURE_PATH, failureSummary, notePhase } from './exits';
import {
  acceptAnswerOf,
  CONTEXT_FIELDS,
  EXECUTION_FIELD,
  invokeStep,
  waitForCallback,
  type StepLambdaFunctions,
} from './invoke-step';
import { pollUntil } from './poll-until';
import { PROPAGATION_POLL } from './rollback';

export interface DatabaseSwitchoverProps {
  readonly fns: StepLambdaFunctions;
  /** Where a failure before the point of no return goes (the rollback path). */
  readonly rollback: sfn.IChainable;
  /** Where the workflow goes once the database has switched. */
  readonly next: sfn.IChainable;
}

/**
 * approval → lag within limit → freeze writes → caught up → sequences → verify → switch (the point of
 * no return) → endpoint INSYNC. Before the switch every failure rolls back; from the switch on, a
 * failure waits for an operator to roll forward or restore.
 */
export function databaseSwitchover(scope: Construct, props: DatabaseSwitchoverProps): sfn.State {
  const { fns } = props;
  const toRollback = notePhase(scope, 'NoteDatabaseFailure', 'database-prepare', props.rollback);
  const catchToRollback = <T extends sfn.TaskStateBase>(task: T): T => {
    task.addCatch(toRollback, { resultPath: FAILURE_PATH });
    return task;
  };

  const approve = catchToRollback(
    waitForCallback(scope, 'AwaitApproval', fns['await-human'], {
      payload: { ...CONTEXT_FIELDS, kind: 'approval' },
      timeoutPath: '$.context.timeouts.approvalSeconds',
      resultPath: '$.approval',
    }),
  );
  const startCatchUp = new sfn.Pass(scope, 'StartCatchUp', {
    result: sfn.Result.fromObject({ since: null }),
    resultPath: '$.lag',
  });
  const checkLag = catchToRollback(
    invokeStep(scope, 'CheckLag', fns['check-lag'], {
      payload: { ...CONTEXT_FIELDS, since: sfn.JsonPath.stringAt('$.lag.since') },
      resultPath: '$.lag',
    }),
  );
  const freeze = catchToRollback(
    invokeStep(scope, 'FreezeWrites', fns['freeze-writes'], {
      payload: { ...CONTEXT_FIELDS },
      resultPath: '$.freeze',
    }),
  );
  const checkCaughtUp = catchToRollback(
    invokeStep(scope, 'CheckCaughtUp', fns['check-caught-up'], {
      payload: { ...CONTEXT_FIELDS, since: sfn.JsonPath.stringAt('$.freeze.frozenAt') },
      resultPath: '$.caughtUp',
    }),
  );
  const syncSequences = catchToRollback(
    invokeStep(scope, 'SyncSequences', fns['sync-sequences'], { payload: { ...CONTEXT_FIELDS } }),
  );
  const verify = catchToRollback(
    invokeStep(scope, 'VerifyData', fns['verify-data'], {
      payload: { ...CONTEXT_FIELDS },
      resultPath: '$.verification',
      retryThrottling: false,
    }),
  );

  const afterSwitch = pointOfNoReturn(scope, props);
  const needsApproval = new sfn.Choice(scope, 'ApprovalRequired')
    .when(sfn.Condition.booleanEquals('$.context.flags.approval', true), approve)
    .otherwise(startCatchUp);
  approve.next(
    acceptAnswerOf(scope, 'AwaitApproval', 'approval', '$.approval', {
      next: startCatchUp,
      onForged: toRollback,
    }),
  );
  // RDS Blue/Green blocks writes and waits for the green replica itself during its switchover.
  const freezeNeeded = new sfn.Choice(scope, 'FreezeNeeded')
    .when(
      sfn.Condition.stringEquals('$.context.flags.database', 'rds-blue-green'),
      afterSwitch.switchDatabase,
    )
    .otherwise(freeze);
  startCatchUp.next(
    pollUntil(scope, 'LagWithinLimit', {
      check: checkLag,
      donePath: '$.lag.caughtUp',
      interval: Duration.seconds(5),
      next: freezeNeeded,
    }),
  );
  freeze.next(
    pollUntil(scope, 'CaughtUp', {
      check: checkCaughtUp,
      donePath: '$.caughtUp.caughtUp',
      interval: Duration.seconds(1),
      next: syncSequences,
    }),
  );
  syncSequences.next(verify).next(afterSwitch.switchDatabase);
  afterSwitch.switchDatabase.addCatch(toRollback, {
    errors: [ErrorNames.OperatorRollback],
    resultPath: FAILURE_PATH,
  });
  return needsApproval;
}

/** The switch, and everything after it: failures wait for an operator, never roll back blindly. */
function pointOfNoReturn(scope: Construct, props: DatabaseSwitchoverProps) {
  const { fns } = props;
  const switchDatabase = invokeStep(scope, 'SwitchDatabase', fns['switch-database'], {
    payload: { ...CONTEXT_FIELDS, checkRollback: true },
    resultPath: '$.switch',
    retryThrottling: false,
  });
  const retrySwitch = invokeStep(scope, 'RollForward', fns['switch-database'], {
    payload: { ...CONTEXT_FIELDS, checkRollback: false },
    resultPath: '$.switch',
    retryThrottling: false,
  });
  const checkEndpoint = invokeStep(scope, 'CheckEndpointInSync', fns['check-in-sync'], {
    payload: {
      execution: EXECUTION_FIELD,
      tickets: sfn.JsonPath.listAt('$.switch.tickets'),
      checkRollback: false,
    },
    resultPath: '$.endpointSync',
  });
  const endpointInSync = pollUntil(scope, 'EndpointInSync', {
    check: checkEndpoint,
    donePath: '$.endpointSync.inSync',
    interval: PROPAGATION_POLL,
    next: props.next,
  });

  const askOperator = waitForCallback(scope, 'AwaitOperator', fns['await-human'], {
    payload: { ...CONTEXT_FIELDS, kind: 'operator', reason: failureSummary() },
    timeoutPath: '$.context.timeouts.operatorSeconds',
    resultPath: '$.answer',
  });
  const toOperator = notePhase(scope, 'NoteSwitchFailure', 'database-switch', askOperator);
  for (const task of [switchDatabase, retrySwitch, checkEndpoint])
    task.addCatch(toOperator, { resultPath: FAILURE_PATH });

  const restore = invokeStep(scope, 'Restore', fns.restore, {
    payload: { ...CONTEXT_FIELDS },
    resultPath: '$.restore',
  });
  const restored = exitPath(scope, 'CutoverRestored', fns, 'failed', 'CutoverRestored');
  const unanswered = exitPath(scope, 'OperatorDidNotAnswer', fns, 'failed', 'OperatorDidNotAnswer');
  restore.addCatch(unanswered, { resultPath: '$.restoreError' });
  askOperator.addCatch(unanswered, { resultPath: '$.answerError' });
  // Only the operator's own "roll-forward" retries the switch; anything else, forged included, restores.
  askOperator.next(
    acceptAnswerOf(scope, 'AwaitOperator', 'operator', '$.answer', {
      next: new sfn.Choice(scope, 'OperatorChoiceGiven')
        .when(
          sfn.Condition.isPresent('$.answer.choice'),
          new sfn.Choice(scope, 'OperatorChoice')
            .when(sfn.Condition.stringEquals('$.answer.choice', 'roll-forward'), retrySwitch)
            .otherwise(restore),
        )
        .otherwise(restore),
      onForged: restore,
      phase: 'database-switch',
    }),
  );
  retrySwitch.next(endpointInSync);
  restore.next(restored);
  switchDatabase.next(endpointInSync);
  return { switchDatabase };
}
