import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue that keeps what could not be delivered or processed, 14 days (SQS's maximum), encrypted and
 * reachable over TLS only. It is a dead-letter queue itself, so cdk-nag's "has no DLQ" finding is
 * acknowledged with `keeps`: what it is the dead-letter queue of.
 */
export function deadLetterQueue(scope: Construct, id: string, keeps: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is the dead-letter queue of ${keeps}; it needs none of its own.`,
  });
  return queue;
}
