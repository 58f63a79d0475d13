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
    /** The web console's base URL (the stack's ConsoleUrl output, ending in /console/), when there is one. */
    private readonly consoleUrl?: string,
  ) {}

  async notify(event: CutoverEvent, signal?: AbortSignal): Promise<void> {
    const message = [
      event.message,
      '',
      `plan: ${event.plan}`,
      `phase: ${event.phase}`,
      `outcome: ${event.outcome}`,
      `execution: ${this.consoleUrl ? executionPage(this.consoleUrl, event.execution) : event.execution}`,
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

/**
 * The execution's page in the web console, where an operator signs in to answer or roll back. The link
 * names the execution only: answers go through the operator API, never with a task token.
 */
export function executionPage(consoleUrl: string, execution: string): string {
  // arn:aws:states:<region>:<account>:execution:<state machine>:<name>
  const name = execution.startsWith('arn:') ? execution.split(':').slice(7).join(':') : execution;
  const page = new URL('execution', consoleUrl.endsWith('/') ? consoleUrl : `${consoleUrl}/`);
  page.searchParams.set('name', name);
  return page.href;
}
