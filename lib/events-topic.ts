import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { serviceKey } from './service-key';

/**
 * Cutover events for operators: started, waiting for a decision, completed, rolled back, failed, and
 * the failed-execution alarm. Encrypted with a customer-managed key whose policy lets CloudWatch alarms
 * of this account publish: with the AWS-managed SNS key, CloudWatch cannot, and alarms are lost.
 */
export class EventsTopic extends Construct {
  readonly topic: Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // Source: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html (compatibility with AWS services)
    this.key = serviceKey(this, {
      description: 'cutover events topic (CloudWatch alarms of this account may publish)',
      sid: 'CloudWatchAlarmsPublish',
      service: 'cloudwatch.amazonaws.com',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
        },
      },
    });
    this.topic = new Topic(this, 'Topic', {
      displayName: 'cutover events',
      enforceSSL: true,
      masterKey: this.key,
    });
  }

  /**
   * Lets `role` publish: sns:Publish on the topic (and on `alsoTo`, plans' own topics), and the KMS
   * actions publishing to an encrypted topic needs, named (Topic.grantPublish grants kms:GenerateDataKey*).
   */
  grantPublish(role: iam.IGrantable, alsoTo: readonly string[] = []): void {
    role.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn, ...alsoTo] }),
    );
    role.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.key.keyArn],
      }),
    );
  }
}
