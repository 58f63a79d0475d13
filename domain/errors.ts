/**
 * Named errors shared by the domain, the handlers and the state machine.
 * The state machine's Retry/Catch clauses import these names, so a rename breaks the build, not the workflow.
 */
export const ErrorNames = {
  PlanInvalid: 'PlanInvalid',
  LockHeld: 'LockHeld',
  /** The execution no longer holds its lock (its lease was taken over): it must not carry on. */
  LockLost: 'LockLost',
  PreflightFailed: 'PreflightFailed',
  DeployFailed: 'DeployFailed',
  HealthCheckFailed: 'HealthCheckFailed',
  HealthInconclusive: 'HealthInconclusive',
  OperatorRollback: 'OperatorRollback',
  ReplicationLagging: 'ReplicationLagging',
  VerificationFailed: 'VerificationFailed',
  ApprovalRefused: 'ApprovalRefused',
  Throttled: 'Throttled',
  PriorRequestNotComplete: 'PriorRequestNotComplete',
  SwitchoverFailed: 'SwitchoverFailed',
  WriteFreezeExceeded: 'WriteFreezeExceeded',
  RunbookInvalid: 'RunbookInvalid',
  NoTargets: 'NoTargets',
  TooManyTargets: 'TooManyTargets',
  CanaryFailed: 'CanaryFailed',
  MaxErrorsExceeded: 'MaxErrorsExceeded',
  /** A wait was answered with an answer of another kind (e.g. a bake's "promoted" for an approval). */
  ForgedAnswer: 'ForgedAnswer',
} as const;
export type ErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];

/** An error the workflow routes on: its `name` is what Step Functions matches in ErrorEquals. */
export class CutoverError extends Error {
  constructor(
    override readonly name: ErrorName,
    message: string,
  ) {
    super(message);
  }
}

/** One problem in a plan, located by its field path, e.g. `traffic.steps[2]`. */
export interface PlanIssue {
  readonly path: string;
  readonly message: string;
}

export class PlanValidationError extends Error {
  override readonly name = ErrorNames.PlanInvalid;
  constructor(
    readonly issues: readonly PlanIssue[],
    readonly warnings: readonly PlanIssue[] = [],
  ) {
    super(issues.map(formatIssue).join('\n'));
  }
}

export function formatIssue(issue: PlanIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** One problem or more in a runbook file, each located by its field path, e.g. `steps[0].parameters.level`. */
export class RunbookValidationError extends Error {
  override readonly name = ErrorNames.RunbookInvalid;
  constructor(readonly issues: readonly PlanIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

/** A step was given an input it cannot run on (a bug in the state machine, or an input from elsewhere). */
export class StepInputError extends Error {
  override readonly name = 'StepInputInvalid';
}

/** An argument or option that cannot be used as given (the CLI exits 2, like for an invalid plan). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/**
 * Errors AWS itself reports for a Task (not thrown by our code), as the local runner reproduces them:
 * a Lambda invocation cut off at the function's timeout, a Task past its TimeoutSeconds or
 * HeartbeatSeconds, and a state input or output over the 256 KiB limit.
 */
export const AwsErrorNames = {
  LambdaTimedOut: 'Sandbox.Timedout',
  TaskTimedOut: 'States.Timeout',
  HeartbeatTimedOut: 'States.HeartbeatTimeout',
  DataLimitExceeded: 'States.DataLimitExceeded',
} as const;

/** A failure as AWS reports it: the `name` is the error Step Functions records, the message its cause. */
export class AwsReportedError extends Error {
  constructor(
    override readonly name: (typeof AwsErrorNames)[keyof typeof AwsErrorNames],
    message: string,
  ) {
    super(message);
  }
}

/**
 * Errors no step throws on purpose: a crash (a plain Error, a TypeError, pg's `error`), middy's early
 * timeout, Lambda's own timeout or an unhandled runtime failure. Idempotent steps are retried on
 * these; the named errors above are decisions and go straight to their Catch.
 */
export const UNEXPECTED_ERRORS = [
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'error',
  'TimeoutError',
  AwsErrorNames.LambdaTimedOut,
  'Lambda.Unknown',
] as const;

/** An operator asked about an execution that does not exist (or that this orchestrator did not start). */
export class NoSuchExecutionError extends Error {
  override readonly name = 'NoSuchExecution';
}

/**
 * An operator's request does not fit the execution's state: nothing waits for that answer, the
 * execution has ended, or another version of the plan is already running.
 */
export class OperatorConflictError extends Error {
  override readonly name: string = 'OperatorConflict';
}

/** The plan has not completed in the environment below this one (cutovers go non-production first). */
export class PromotionRefusedError extends OperatorConflictError {
  override readonly name = 'PromotionRefused';
}
