import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

export interface PollOptions {
  /** The step that reports progress; its result must land at `resultPath`. */
  readonly check: sfn.TaskStateBase;
  /** A boolean field of the check's result that says "done". */
  readonly donePath: string;
  readonly interval: Duration;
  /** Where to go once done. */
  readonly next: sfn.IChainable;
  /**
   * Steps that start the work and report progress as the check does (request, then poll): each goes to
   * the same "done?" choice, so the first check comes one `interval` after the request.
   * @default - none: the poll starts with a check
   */
  readonly requestedBy?: readonly sfn.INextable[];
}

/** check → done? → next, else wait `interval` and check again. Bounded by the check's own deadline. */
export function pollUntil(scope: Construct, id: string, options: PollOptions): sfn.Chain {
  const wait = new sfn.Wait(scope, `${id}Wait`, { time: sfn.WaitTime.duration(options.interval) });
  const done = new sfn.Choice(scope, `${id}Done`)
    .when(sfn.Condition.booleanEquals(options.donePath, true), options.next)
    .otherwise(wait);
  wait.next(options.check);
  for (const request of options.requestedBy ?? []) request.next(done);
  return sfn.Chain.start(options.check).next(done);
}
