import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { CONTEXT_FIELDS, invokeStep, type StepLambdaFunctions } from './invoke-step';

/** Where a failure is recorded by the Catch clauses: `{ Error, Cause }`, plus the phase once noted. */
export const FAILURE_PATH = '$.failure';

/** "<Error>: <Cause>" of the recorded failure, for the question put to an operator. */
export function failureSummary(): string {
  return sfn.JsonPath.format(
    '{}: {}',
    sfn.JsonPath.stringAt(`${FAILURE_PATH}.Error`),
    sfn.JsonPath.stringAt(`${FAILURE_PATH}.Cause`),
  );
}

/** A Pass that stamps the phase onto the failure a Catch just recorded, then goes on to `next`. */
export function notePhase(scope: Construct, id: string, phase: string, next: sfn.IChainable): sfn.Pass {
  const pass = new sfn.Pass(scope, id, {
    parameters: {
      phase,
      Error: sfn.JsonPath.stringAt(`${FAILURE_PATH}.Error`),
      Cause: sfn.JsonPath.stringAt(`${FAILURE_PATH}.Cause`),
    },
    resultPath: FAILURE_PATH,
  });
  pass.next(next);
  return pass;
}

/**
 * The end of every path: write the audit record and notify, release the lock, then stop — failed with
 * the phase and reason as the cause, or succeeded.
 */
export function exitPath(
  scope: Construct,
  id: string,
  fns: StepLambdaFunctions,
  outcome: 'completed' | 'rolled_back' | 'failed',
  error: string,
): sfn.Chain {
  const failed = outcome !== 'completed';
  const record = invokeStep(scope, `Record${id}`, fns['record-outcome'], {
    payload: {
      ...CONTEXT_FIELDS,
      outcome,
      ...(failed
        ? {
            phase: sfn.JsonPath.stringAt(`${FAILURE_PATH}.phase`),
            error: sfn.JsonPath.stringAt(`${FAILURE_PATH}.Error`),
            cause: sfn.JsonPath.stringAt(`${FAILURE_PATH}.Cause`),
          }
        : {}),
    },
    resultPath: '$.recorded',
  });
  const release = invokeStep(scope, `ReleaseLock${id}`, fns['release-lock'], {
    payload: { ...CONTEXT_FIELDS },
  });
  const end = failed
    ? new sfn.Fail(scope, id, { error, causePath: '$.recorded.summary' })
    : new sfn.Succeed(scope, id);
  // The lock is released even when recording fails: a stuck lock would block the next attempt. The
  // Fail state's cause is then that failure, so every path into it has one.
  const notRecorded = new sfn.Pass(scope, `NotRecorded${id}`, {
    parameters: {
      summary: sfn.JsonPath.format(
        'the outcome was not recorded ({}: {})',
        sfn.JsonPath.stringAt('$.recordError.Error'),
        sfn.JsonPath.stringAt('$.recordError.Cause'),
      ),
    },
    resultPath: '$.recorded',
  });
  record.addCatch(notRecorded.next(release), { resultPath: '$.recordError' });
  return sfn.Chain.start(record).next(release).next(end);
}
