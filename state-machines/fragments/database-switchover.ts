import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { OPERATOR_ASKS } from '../../domain/context/resolve-context';
import { ErrorNames } from '../../domain/errors';
import { exitPath, FAILURE_PATH, failureSummary, notePhase } from './exits';
import {
  acceptAnswerOf,
  CONTEXT_FIELDS,
  EXECUTION_FIELD,
  stepTask,
  waitForCallback,
  type StepLambdaFunctions,
} from './invoke-step';
import { pollUntil } from './poll-until';
import { PROPAGATION_POLL } from './rollback';

/** How often a requested switch is polled: RDS reports progress in minutes, not seconds. */
const SWITCH_POLL = Duration.seconds(15);

/** The write freeze's deadline, set by FreezeWrites (null when nothing was frozen). */
const UNFREEZE_BY = sfn.JsonPath.stringAt('$.freeze.unfreezeBy');

export interface DatabaseSwitchoverProps {
  readonly fns: StepLambdaFunctions;
  /** Where a failure before the point of no return goes (the rollback path). */
  readonly rollback: sfn.IChainable;
  /** Where the workflow goes once the database has switched. */
  readonly next: sfn.IChainable;
}

/**
 * approval → lag within limit → verification pass (chunks, while replicating) → freeze writes → caught
 * up → sequences → re-check what changed since the pass → switch (the point of no return) → endpoint
 * INSYNC. Before the switch every failure rolls back; from the switch on, a
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
      wait: 'approval',
      resultPath: '$.approval',
    }),
  );
  const startCatchUp = new sfn.Pass(scope, 'StartCatchUp', {
    result: sfn.Result.fromObject({ since: null }),
    resultPath: '$.lag',
  });
  const checkLag = catchToRollback(
    stepTask(scope, 'CheckLag', fns, 'check-lag', {
      payload: { ...CONTEXT_FIELDS, since: sfn.JsonPath.stringAt('$.lag.since') },
      resultPath: '$.lag',
    }),
  );
  const freeze = catchToRollback(
    stepTask(scope, 'FreezeWrites', fns, 'freeze-writes', {
      payload: { ...CONTEXT_FIELDS },
      resultPath: '$.freeze',
    }),
  );
  const checkCaughtUp = catchToRollback(
    stepTask(scope, 'CheckCaughtUp', fns, 'check-caught-up', {
      payload: {
        ...CONTEXT_FIELDS,
        unfreezeBy: UNFREEZE_BY,
        sourceLsn: sfn.JsonPath.stringAt('$.freeze.sourceLsn'),
      },
      resultPath: '$.caughtUp',
    }),
  );
  const syncSequences = catchToRollback(
    stepTask(scope, 'SyncSequences', fns, 'sync-sequences', {
      payload: { ...CONTEXT_FIELDS, unfreezeBy: UNFREEZE_BY },
    }),
  );
  // Before the freeze, while replication runs: a pass of bounded invocations, each going on from the
  // cursor the last one returned. Inside the freeze, only what may have changed since is checked again.
  const startVerification = new sfn.Pass(scope, 'StartVerification', {
    result: sfn.Result.fromObject({ done: false, pass: null }),
    resultPath: '$.verification',
  });
  const verifyChunks = catchToRollback(
    stepTask(scope, 'VerifyChunks', fns, 'verify-data', {
      payload: { ...CONTEXT_FIELDS, pass: sfn.JsonPath.objectAt('$.verification.pass') },
      resultPath: '$.verification',
    }),
  );
  const recheck = catchToRollback(
    stepTask(scope, 'RecheckData', fns, 'recheck-data', {
      payload: {
        ...CONTEXT_FIELDS,
        unfreezeBy: UNFREEZE_BY,
        pass: sfn.JsonPath.objectAt('$.verification.pass'),
      },
      resultPath: '$.recheck',
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
      new sfn.Pass(scope, 'NoWriteFreeze', {
        result: sfn.Result.fromObject({ frozenAt: null, unfreezeBy: null }),
        resultPath: '$.freeze',
      }).next(afterSwitch.switchDatabase),
    )
    .otherwise(startVerification);
  startVerification
    .next(verifyChunks)
    .next(
      new sfn.Choice(scope, 'VerificationPassDone')
        .when(sfn.Condition.booleanEquals('$.verification.done', true), freeze)
        .otherwise(verifyChunks),
    );
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
  syncSequences.next(recheck).next(afterSwitch.switchDatabase);
  // Before it starts, the switch may still be refused: by an operator's rollback, or because the write
  // freeze reached its limit (then blue is unfrozen on the rollback path).
  afterSwitch.switchDatabase.addCatch(toRollback, {
    errors: [ErrorNames.OperatorRollback, ErrorNames.WriteFreezeExceeded],
    resultPath: FAILURE_PATH,
  });
  return needsApproval;
}

/** The switch, and everything after it: failures wait for an operator, never roll back blindly. */
function pointOfNoReturn(scope: Construct, props: DatabaseSwitchoverProps) {
  const { fns } = props;
  const switchDatabase = stepTask(scope, 'SwitchDatabase', fns, 'switch-database', {
    payload: { ...CONTEXT_FIELDS, checkRollback: true, unfreezeBy: UNFREEZE_BY },
    resultPath: '$.switch',
    retryThrottling: false,
  });
  const retrySwitch = stepTask(scope, 'RollForward', fns, 'switch-database', {
    payload: { ...CONTEXT_FIELDS, checkRollback: false },
    resultPath: '$.switch',
    retryThrottling: false,
  });
  // Request, then poll: an RDS promotion or Blue/Green switchover outlasts any function's timeout.
  const checkSwitch = stepTask(scope, 'CheckSwitch', fns, 'switch-database', {
    payload: {
      ...CONTEXT_FIELDS,
      checkRollback: false,
      previous: sfn.JsonPath.objectAt('$.switch.progress'),
      startedAt: sfn.JsonPath.stringAt('$.switch.startedAt'),
    },
    resultPath: '$.switch',
  });
  const checkEndpoint = stepTask(scope, 'CheckEndpointInSync', fns, 'check-in-sync', {
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
    wait: 'operator',
    resultPath: '$.answer',
  });
  const firstAsk = new sfn.Pass(scope, 'FirstOperatorAsk', {
    result: sfn.Result.fromObject({ count: 1 }),
    resultPath: '$.operatorAsks',
  });
  const toOperator = notePhase(scope, 'NoteSwitchFailure', 'database-switch', firstAsk);
  firstAsk.next(askOperator);
  // The first call (or an operator's roll-forward) requests the switch; CheckSwitch polls it.
  pollUntil(scope, 'SwitchComplete', {
    check: checkSwitch,
    donePath: '$.switch.done',
    interval: SWITCH_POLL,
    next: endpointInSync,
    requestedBy: [switchDatabase, retrySwitch],
  });
  for (const task of [switchDatabase, retrySwitch, checkSwitch, checkEndpoint])
    task.addCatch(toOperator, { resultPath: FAILURE_PATH });

  const restore = stepTask(scope, 'Restore', fns, 'restore', {
    payload: { ...CONTEXT_FIELDS },
    resultPath: '$.restore',
  });
  const restored = exitPath(scope, 'CutoverRestored', fns, 'failed', 'CutoverRestored');
  const restoreFailed = exitPath(scope, 'RestoreFailed', fns, 'failed', 'RestoreFailed');
  restore.addCatch(
    notePhase(scope, 'NoteRestoreFailure', 'database-restore', restoreFailed, '$.restoreError'),
    {
      resultPath: '$.restoreError',
    },
  );

  // Unanswered: ask again (each ask notifies), then take the safe default for where the switch stands.
  const unanswered = exitPath(scope, 'OperatorDidNotAnswer', fns, 'failed', 'OperatorDidNotAnswer');
  const noAnswer = (id: string, then: string, next: sfn.IChainable) =>
    new sfn.Pass(scope, id, {
      parameters: {
        phase: 'database-switch',
        Error: 'OperatorDidNotAnswer',
        Cause: sfn.JsonPath.format(
          `no operator answered {} times; ${then} (the failure: {}: {})`,
          sfn.JsonPath.stringAt('$.operatorAsks.count'),
          sfn.JsonPath.stringAt(`${FAILURE_PATH}.Error`),
          sfn.JsonPath.stringAt(`${FAILURE_PATH}.Cause`),
        ),
      },
      resultPath: FAILURE_PATH,
    }).next(next);
  const safeDefault = new sfn.Choice(scope, 'SwitchCompleted')
    .when(
      sfn.Condition.and(
        sfn.Condition.isPresent('$.switch.done'),
        sfn.Condition.booleanEquals('$.switch.done', true),
      ),
      noAnswer(
        'KeepGreenByDefault',
        'the switch completed, so green stays and blue stays read-only',
        unanswered,
      ),
    )
    .otherwise(noAnswer('RestoreByDefault', 'the switch did not complete, so blue is restored', restore));
  const askAgain = new sfn.Choice(scope, 'AskOperatorAgain')
    .when(
      sfn.Condition.numberLessThan('$.operatorAsks.count', OPERATOR_ASKS),
      new sfn.Pass(scope, 'CountOperatorAsk', {
        parameters: { count: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.operatorAsks.count'), 1) },
        resultPath: '$.operatorAsks',
      }).next(askOperator),
    )
    .otherwise(safeDefault);
  askOperator.addCatch(askAgain, { errors: ['States.Timeout'], resultPath: '$.answerError' });
  // The question could not be put (e.g. notifications failing): nobody can answer, take the default.
  askOperator.addCatch(safeDefault, { resultPath: '$.answerError' });
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
  restore.next(restored);
  return { switchDatabase };
}
