import { ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IDestination, IFunction } from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { failureAlarm } from './failure-alarm';
import { STACK_OUTPUTS } from './stack-outputs';

export interface FinalizeSchedulingProps {
  /** The finalize step's function, which the schedules invoke. */
  readonly finalize: IFunction;
  /** Where the alarm on failed finalizes notifies. */
  readonly alarmTopic: ITopic;
}

/** Lambda's retries of a failed asynchronous invocation (its maximum), before the failure is kept. */
const FINALIZE_RETRIES = 2;

/**
 * Where record-outcome puts the one-time schedules that run the finalize step when blue's retention
 * ends: a schedule group of their own, and the role EventBridge Scheduler invokes the step with (that
 * function only, for this account only). Nothing runs, and nothing is billed, until a schedule exists.
 */
export class FinalizeScheduling extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  /** Every schedule of the group: the only schedules record-outcome may create. */
  readonly schedulesArn: string;
  /**
   * Finalizes that did not happen, kept 14 days with their context: a schedule Scheduler could not
   * deliver, or a finalize that failed after Lambda's retries (left on blue, the slot would keep WAL).
   */
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: FinalizeSchedulingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: `${stack.stackName.slice(0, 48)}-finalize`,
    });
    this.role = new iam.Role(this, 'SchedulerRole', {
      // Only schedules of this account may use the role (the confused-deputy guard AWS documents).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'cutover: EventBridge Scheduler invokes the finalize step',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [props.finalize.functionArn],
      }),
    );
    this.failures = deadLetterQueue(this, 'Failures', 'the finalize schedules and function');
    new CfnOutput(stack, STACK_OUTPUTS.finalizeFailures, { value: this.failures.queueUrl });
    // Scheduler invokes the function asynchronously: its errors are Lambda's to retry and keep.
    props.finalize.configureAsyncInvoke({ retryAttempts: FINALIZE_RETRIES, onFailure: this.sendTo() });
    this.role.addToPolicy(this.sendStatement());
    failureAlarm(this, 'FailedFinalize', {
      metric: this.failures.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      description:
        'A scheduled finalize did not happen: the replication slot may still hold WAL on blue. The invocation is kept in the FinalizeFailuresQueueUrl queue; the README (step 6, Finalize) says how to finish.',
      topic: props.alarmTopic,
    });
    this.schedulesArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** Lambda's on-failure destination: only SendMessage (CDK's SqsDestination also grants two reads). */
  private sendTo(): IDestination {
    return {
      bind: (_scope, fn) => {
        fn.addToRolePolicy(this.sendStatement());
        return { destination: this.failures.queueArn };
      },
    };
  }

  private sendStatement(): iam.PolicyStatement {
    return new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.failures.queueArn] });
  }
}
