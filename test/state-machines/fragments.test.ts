/**
 * Each fragment rendered to ASL on its own, as aws-cdk's Step Functions tests do: the states it makes,
 * where each goes, and its Retry/Catch. The scenario tests run the whole machine; these pin the shape.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ErrorNames } from '../../domain/errors';
import { databaseSwitchover } from '../../state-machines/fragments/database-switchover';
import { exitPath, notePhase } from '../../state-machines/fragments/exits';
import {
  invokeStep,
  LAMBDA_SERVICE_ERRORS,
  waitForCallback,
  type StepLambdaFunctions,
} from '../../state-machines/fragments/invoke-step';
import { pollUntil } from '../../state-machines/fragments/poll-until';
import { rollbackPath } from '../../state-machines/fragments/rollback';
import { shiftTraffic } from '../../state-machines/fragments/shift-traffic';
import { STEP_NAMES } from '../../workflow/registry';

interface StateJson {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
  readonly Choices?: readonly { readonly Variable: string; readonly Next: string }[];
  readonly Retry?: readonly { readonly ErrorEquals: readonly string[]; readonly MaxAttempts?: number }[];
  readonly Catch?: readonly { readonly ErrorEquals: readonly string[]; readonly Next: string }[];
}

function setUp() {
  const stack = new Stack();
  const fns = Object.fromEntries(
    STEP_NAMES.map((step) => [
      step,
      lambda.Function.fromFunctionArn(stack, step, `arn:aws:lambda:eu-west-1:123456789012:function:${step}`),
    ]),
  ) as StepLambdaFunctions;
  const render = (start: sfn.IChainable): Record<string, StateJson> =>
    (
      stack.resolve(new sfn.StateGraph(start.startState, 'g').toGraphJson()) as {
        States: Record<string, StateJson>;
      }
    ).States;
  return { stack, fns, render };
}

const catches = (state: StateJson | undefined) => state?.Catch?.map((c) => [c.ErrorEquals, c.Next]);
const retries = (state: StateJson | undefined) => state?.Retry?.map((r) => r.ErrorEquals);

describe('invokeStep', () => {
  it('calls the step’s function with the context, keeps only its result, and retries Lambda and throttling errors', () => {
    const { stack, fns, render } = setUp();
    const task = invokeStep(stack, 'SetWeights', fns['set-weights'], {
      payload: { context: sfn.JsonPath.objectAt('$.context') },
      resultPath: '$.change',
    });
    const state = render(task)['SetWeights'];
    expect(state).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:set-weights',
      Parameters: { 'context.$': '$.context' },
      ResultPath: '$.change',
      TimeoutSeconds: 130,
      End: true,
    });
    expect(retries(state)).toEqual([
      LAMBDA_SERVICE_ERRORS,
      [ErrorNames.Throttled, ErrorNames.PriorRequestNotComplete],
    ]);
  });

  it('retries only Lambda service errors when throttling retries are off', () => {
    const { stack, fns, render } = setUp();
    const task = invokeStep(stack, 'Verify', fns['verify-data'], { payload: {}, retryThrottling: false });
    expect(retries(render(task)['Verify'])).toEqual([LAMBDA_SERVICE_ERRORS]);
  });
});

describe('waitForCallback', () => {
  it('hands the task token to the step and times out at the context’s timeout for its kind of wait', () => {
    const { stack, fns, render } = setUp();
    const task = waitForCallback(stack, 'Bake', fns['start-bake'], {
      payload: { context: sfn.JsonPath.objectAt('$.context') },
      wait: 'bake',
    });
    const state = render(task)['Bake'];
    expect(JSON.stringify(state?.Resource)).toContain(':states:::lambda:invoke.waitForTaskToken');
    expect(state).toMatchObject({
      TimeoutSecondsPath: '$.context.timeouts.bakeSeconds',
      Parameters: { Payload: { 'context.$': '$.context', 'taskToken.$': '$$.Task.Token' } },
    });
    expect(retries(state)).toEqual([LAMBDA_SERVICE_ERRORS]);
  });
});

describe('pollUntil', () => {
  it('checks, goes on once done, else waits and checks again', () => {
    const { stack, fns, render } = setUp();
    const check = invokeStep(stack, 'CheckDeploy', fns['check-deploy'], {
      payload: {},
      resultPath: '$.deploy',
    });
    const next = new sfn.Succeed(stack, 'Next');
    const states = render(
      pollUntil(stack, 'Deployed', {
        check,
        donePath: '$.deploy.done',
        interval: Duration.seconds(30),
        next,
      }),
    );
    expect(states['CheckDeploy']?.Next).toBe('DeployedDone');
    expect(states['DeployedDone']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.deploy.done', BooleanEquals: true, Next: 'Next' }],
      Default: 'DeployedWait',
    });
    expect(states['DeployedWait']).toMatchObject({ Type: 'Wait', Seconds: 30, Next: 'CheckDeploy' });
  });

  it('judges a request’s result first when requested: the first check comes one interval later', () => {
    const { stack, fns, render } = setUp();
    const request = invokeStep(stack, 'StartDeploy', fns['start-deploy'], {
      payload: {},
      resultPath: '$.deploy',
    });
    const check = invokeStep(stack, 'CheckDeploy', fns['check-deploy'], {
      payload: {},
      resultPath: '$.deploy',
    });
    pollUntil(stack, 'Deployed', {
      check,
      donePath: '$.deploy.done',
      interval: Duration.seconds(30),
      next: new sfn.Succeed(stack, 'Next'),
      requestedBy: [request],
    });
    const states = render(request);
    expect(states['StartDeploy']?.Next).toBe('DeployedDone');
    expect(states['DeployedDone']).toMatchObject({
      Choices: [{ Variable: '$.deploy.done', BooleanEquals: true, Next: 'Next' }],
      Default: 'DeployedWait',
    });
    expect(states['DeployedWait']).toMatchObject({ Type: 'Wait', Seconds: 30, Next: 'CheckDeploy' });
    expect(states['CheckDeploy']?.Next).toBe('DeployedDone');
  });
});

describe('exits', () => {
  it('notePhase stamps the phase onto the recorded failure', () => {
    const { stack, render } = setUp();
    const states = render(notePhase(stack, 'NoteShiftFailure', 'shift', new sfn.Succeed(stack, 'Next')));
    expect(states['NoteShiftFailure']).toMatchObject({
      Type: 'Pass',
      ResultPath: '$.failure',
      Parameters: { phase: 'shift', 'Error.$': '$.failure.Error', 'Cause.$': '$.failure.Cause' },
      Next: 'Next',
    });
  });

  it('a failed exit records, releases the lock even when recording fails, then fails with the summary', () => {
    const { stack, fns, render } = setUp();
    const states = render(exitPath(stack, 'CutoverRolledBack', fns, 'rolled_back', 'CutoverRolledBack'));
    expect(states['RecordCutoverRolledBack']?.Next).toBe('ReleaseLockCutoverRolledBack');
    expect(catches(states['RecordCutoverRolledBack'])).toEqual([
      [['States.ALL'], 'NotRecordedCutoverRolledBack'],
    ]);
    expect(states['NotRecordedCutoverRolledBack']).toMatchObject({
      ResultPath: '$.recorded',
      Next: 'ReleaseLockCutoverRolledBack',
    });
    expect(states['RecordCutoverRolledBack']?.Parameters).toMatchObject({
      outcome: 'rolled_back',
      'phase.$': '$.failure.phase',
    });
    expect(states['ReleaseLockCutoverRolledBack']?.Next).toBe('CutoverRolledBack');
    expect(states['CutoverRolledBack']).toMatchObject({
      Type: 'Fail',
      Error: 'CutoverRolledBack',
      CausePath: '$.recorded.summary',
    });
  });

  it('a completed exit ends in Succeed', () => {
    const { stack, fns, render } = setUp();
    const states = render(exitPath(stack, 'CutoverCompleted', fns, 'completed', 'CutoverCompleted'));
    expect(states['CutoverCompleted']?.Type).toBe('Succeed');
    expect(states['RecordCutoverCompleted']?.Parameters).not.toHaveProperty('phase.$');
  });
});

describe('rollbackPath', () => {
  it('rolls back (retried harder), waits until INSYNC, then exits rolled back; a failure exits RollbackFailed', () => {
    const { stack, fns, render } = setUp();
    const states = render(rollbackPath(stack, fns));
    expect(retries(states['Rollback'])).toContainEqual(['States.TaskFailed']);
    expect(catches(states['Rollback'])).toEqual([[['States.ALL'], 'RecordRollbackFailed']]);
    expect(states['Rollback']?.Next).toBe('CheckRollbackInSync');
    expect(states['CheckRollbackInSync']?.Parameters).toMatchObject({
      checkRollback: false,
      'tickets.$': '$.rollback.tickets',
    });
    expect(states['RollbackInSyncDone']?.Choices?.[0]?.Next).toBe('RecordCutoverRolledBack');
    expect(states['RollbackInSyncWait']).toMatchObject({ Seconds: 20, Next: 'CheckRollbackInSync' });
  });
});

describe('shiftTraffic', () => {
  it('loops set weights → bake over the context’s steps, and routes each bake failure by kind', () => {
    const { stack, fns, render } = setUp();
    const onFailure = new sfn.Pass(stack, 'OnFailure');
    const states = render(shiftTraffic(stack, { fns, onFailure, next: new sfn.Succeed(stack, 'Done') }));
    expect(states['FirstStep']?.Next).toBe('SelectStep');
    expect(states['SelectStep']?.Next).toBe('SetWeights');
    expect(states['SetWeights']?.Next).toBe('Bake');
    // Only an answer of the bake's own kind goes on; any other is a ForgedAnswer down the failure path.
    expect(states['Bake']?.Next).toBe('BakeAnswered');
    expect(states['BakeAnswered']).toMatchObject({
      Choices: [{ Variable: '$.bake.answer', IsPresent: true, Next: 'BakeAnswerKind' }],
      Default: 'BakeForged',
    });
    expect(states['BakeAnswerKind']).toMatchObject({
      Choices: [{ Variable: '$.bake.answer', StringEquals: 'bake', Next: 'NextStep' }],
      Default: 'BakeForged',
    });
    expect(states['BakeForged']).toMatchObject({
      Parameters: { Error: ErrorNames.ForgedAnswer },
      ResultPath: '$.failure',
      Next: 'OnFailure',
    });
    expect(states['AwaitHealthDecisionAnswerKind']).toMatchObject({
      Choices: [{ Variable: '$.decision.answer', StringEquals: 'decision', Next: 'NextStep' }],
    });
    expect(states['NextStep']?.Next).toBe('MoreSteps');
    expect(states['MoreSteps']).toMatchObject({
      Choices: [
        { Variable: '$.cursor.index', NumericLessThanPath: '$.context.stepCount', Next: 'SelectStep' },
      ],
      Default: 'Done',
    });
    expect(catches(states['Bake'])).toEqual([
      [[ErrorNames.HealthCheckFailed], 'PauseOnHealthFailure'],
      [[ErrorNames.HealthInconclusive], 'PauseOnInconclusive'],
      [['States.ALL'], 'OnFailure'],
    ]);
    expect(states['PauseOnHealthFailure']).toMatchObject({
      Choices: [{ Variable: '$.context.flags.pauseOnHealthFailure', Next: 'AwaitHealthDecision' }],
      Default: 'OnFailure',
    });
    expect(states['AwaitHealthDecision']?.TimeoutSecondsPath).toBe('$.context.timeouts.decisionSeconds');
    expect(catches(states['SetWeights'])).toEqual([[['States.ALL'], 'OnFailure']]);
  });
});

describe('databaseSwitchover', () => {
  function renderDatabaseSwitchover() {
    const { stack, fns, render } = setUp();
    return render(
      databaseSwitchover(stack, {
        fns,
        rollback: new sfn.Pass(stack, 'Rollback'),
        next: new sfn.Succeed(stack, 'Done'),
      }),
    );
  }

  it('verifies in a loop of bounded Tasks before the freeze, and re-checks inside it', () => {
    const states = renderDatabaseSwitchover();
    expect(states['LagWithinLimitDone']).toMatchObject({
      Choices: [{ Variable: '$.lag.caughtUp', BooleanEquals: true, Next: 'FreezeNeeded' }],
    });
    expect(states['StartVerification']).toMatchObject({
      Type: 'Pass',
      Result: { done: false, pass: null },
      ResultPath: '$.verification',
      Next: 'VerifyChunks',
    });
    // Each invocation goes on from the cursor the last one returned, until the pass is done.
    expect(states['VerifyChunks']).toMatchObject({
      Type: 'Task',
      Parameters: { 'pass.$': '$.verification.pass' },
      ResultPath: '$.verification',
      Next: 'VerificationPassDone',
    });
    expect(states['VerifyChunks']?.TimeoutSeconds).toBeGreaterThan(0);
    expect(states['VerificationPassDone']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.verification.done', BooleanEquals: true, Next: 'FreezeWrites' }],
      Default: 'VerifyChunks',
    });
    // Inside the freeze: the re-check carries the pass and the freeze's deadline.
    expect(states['SyncSequences']?.Next).toBe('RecheckData');
    expect(states['RecheckData']).toMatchObject({
      Parameters: { 'pass.$': '$.verification.pass', 'unfreezeBy.$': '$.freeze.unfreezeBy' },
      Next: 'SwitchDatabase',
    });
    expect(states['VerifyData']).toBeUndefined();
  });

  it('rolls back before the switch, asks an operator after it, and skips the freeze for RDS Blue/Green', () => {
    const states = renderDatabaseSwitchover();
    expect(states['ApprovalRequired']).toMatchObject({
      Choices: [{ Variable: '$.context.flags.approval', Next: 'AwaitApproval' }],
      Default: 'StartCatchUp',
    });
    expect(states['FreezeNeeded']).toMatchObject({
      Choices: [
        { Variable: '$.context.flags.database', StringEquals: 'rds-blue-green', Next: 'NoWriteFreeze' },
      ],
      Default: 'StartVerification',
    });
    for (const before of [
      'AwaitApproval',
      'CheckLag',
      'FreezeWrites',
      'CheckCaughtUp',
      'SyncSequences',
      'VerifyChunks',
      'RecheckData',
    ]) {
      expect([before, catches(states[before])]).toEqual([before, [[['States.ALL'], 'NoteDatabaseFailure']]]);
    }
    expect(states['NoWriteFreeze']?.Next).toBe('SwitchDatabase');
    expect(catches(states['SwitchDatabase'])).toEqual([
      [[ErrorNames.OperatorRollback, ErrorNames.WriteFreezeExceeded], 'NoteDatabaseFailure'],
      [['States.ALL'], 'NoteSwitchFailure'],
    ]);
    expect(states['NoteSwitchFailure']?.Next).toBe('FirstOperatorAsk');
    expect(states['FirstOperatorAsk']?.Next).toBe('AwaitOperator');
    expect(states['AwaitOperator']?.TimeoutSecondsPath).toBe('$.context.timeouts.operatorAskSeconds');
    expect(catches(states['AwaitOperator'])).toEqual([
      [['States.Timeout'], 'AskOperatorAgain'],
      [['States.ALL'], 'SwitchCompleted'],
    ]);
    expect(states['AwaitApprovalAnswerKind']).toMatchObject({
      Choices: [{ Variable: '$.approval.answer', StringEquals: 'approval', Next: 'StartCatchUp' }],
      Default: 'AwaitApprovalForged',
    });
    expect(states['AwaitApprovalForged']?.Next).toBe('NoteDatabaseFailure');
    expect(states['AwaitOperatorAnswerKind']).toMatchObject({
      Choices: [{ Variable: '$.answer.answer', StringEquals: 'operator', Next: 'OperatorChoiceGiven' }],
      Default: 'AwaitOperatorForged',
    });
    expect(states['AwaitOperatorForged']).toMatchObject({
      Parameters: { phase: 'database-switch', Error: ErrorNames.ForgedAnswer },
      Next: 'Restore',
    });
    expect(states['OperatorChoice']).toMatchObject({
      Choices: [{ Variable: '$.answer.choice', StringEquals: 'roll-forward', Next: 'RollForward' }],
      Default: 'Restore',
    });
    // Request, then poll: the switch is checked (CheckSwitch) until done, then its endpoint.
    expect(states['SwitchDatabase']?.Next).toBe('SwitchCompleteDone');
    expect(states['RollForward']?.Next).toBe('SwitchCompleteDone');
    expect(states['SwitchCompleteDone']).toMatchObject({
      Choices: [{ Variable: '$.switch.done', BooleanEquals: true, Next: 'CheckEndpointInSync' }],
      Default: 'SwitchCompleteWait',
    });
    expect(states['SwitchCompleteWait']).toMatchObject({ Seconds: 15, Next: 'CheckSwitch' });
    expect(states['CheckSwitch']?.Next).toBe('SwitchCompleteDone');
  });
});
