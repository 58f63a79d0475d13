import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { CutoverEvent, Notifier } from '../../ports/notifier';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

const MAX_SUBJECT = 100;

/**
 * Publishes cutover events to the orchestrator's SNS topic (e-mail, chat, or a pager behind it) and,
 * when the plan names one, to the plan's own topic too.
 */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(event: CutoverEvent, signal?: AbortSignal): Promise<void> {
    const link = executionLink(event.execution);
    const message = [
      event.message,
      '',
      `plan: ${event.plan}`,
      `phase: ${event.phase}`,
      `outcome: ${event.outcome}`,
      `execution: ${link ?? event.execution}`,
    ].join('\n');
    const topics = new Set([this.topicArn, ...(event.planTopicArn ? [event.planTopicArn] : [])]);
    for (const topic of topics) {
      await this.client
        .send(
          new PublishCommand({
            TopicArn: topic,
            Subject: subject(`cutover ${event.plan}: ${event.outcome}`),
            Message: message,
            MessageAttributes: {
              outcome: { DataType: 'String', StringValue: event.outcome },
              plan: { DataType: 'String', StringValue: event.plan },
            },
          }),
          withSignal(signal),
        )
        .catch(rethrowAwsError);
    }
  }
}

/** SNS rejects subjects with line breaks or control characters, and long ones; e-mail wants ASCII. */
function subject(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]+/g, ' ');
  return printable.length <= MAX_SUBJECT ? printable : `${printable.slice(0, MAX_SUBJECT - 3)}...`;
}

/** The execution's page in the Step Functions console, for an execution ARN (arn:aws:states:<region>:...). */
function executionLink(executionArn: string): string | undefined {
  const region = executionArn.split(':')[3];
  if (!executionArn.startsWith('arn:') || !region) return undefined;
  return (
    `https://${region}.console.aws.amazon.com/states/home?region=${region}` +
    `#/v2/executions/details/${executionArn}`
  );
}
