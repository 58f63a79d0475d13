import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export interface FinalizeSchedulingProps {
  /** The finalize step's function, which the schedules invoke. */
  readonly finalize: IFunction;
}

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
    this.schedulesArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
