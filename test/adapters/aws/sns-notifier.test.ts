import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SnsNotifier } from '../../../adapters/aws/sns-notifier';
import type { CutoverEvent } from '../../../ports/notifier';

const sns = mockClient(SNSClient);
const topicArn = 'arn:aws:sns:eu-west-1:123456789012:cutover-notifications';
const consoleUrl = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/console/';
const notifier = new SnsNotifier(new SNSClient({}), topicArn, consoleUrl);
const executionArn = 'arn:aws:states:eu-west-1:123456789012:execution:cutover:web-to-fargate-1';
const event: CutoverEvent = {
  plan: 'web-to-fargate',
  execution: executionArn,
  phase: 'shift',
  outcome: 'rolled_back',
  message: 'alarm web-green-5xx-rate went to ALARM at 10 % green; traffic is back on blue.',
};

beforeEach(() => sns.reset());

it("publishes a subject, the message with a link to the execution's console page, and filterable attributes", async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'b1946ac9-2e8f-5b3c-9b5e-1e2e3f4a5b6c' });

  await notifier.notify(event);

  expect(sns).toReceiveCommandWith(PublishCommand, {
    TopicArn: topicArn,
    Subject: 'cutover web-to-fargate: rolled_back',
    Message: expect.stringContaining(event.message),
    MessageAttributes: {
      outcome: { DataType: 'String', StringValue: 'rolled_back' },
      plan: { DataType: 'String', StringValue: 'web-to-fargate' },
    },
  });
  const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message;
  expect(message).toContain('phase: shift');
  expect(message).toContain(
    'execution: https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/console/execution?name=web-to-fargate-1',
  );
});

it('carries no task token: a waiting notification links to the page where the operator answers', async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'id' });
  const waiting: CutoverEvent = {
    ...event,
    outcome: 'waiting_for_operator',
    message: 'web-to-fargate waits for an operator to approve the shift to 50 %.',
  };

  await notifier.notify(waiting);

  const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
  expect(input?.Message).toContain(`${consoleUrl}execution?name=web-to-fargate-1`);
  expect(JSON.stringify(input)).not.toMatch(/token/i);
});

it('keeps the subject within 100 printable characters', async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'id' });

  await notifier.notify({ ...event, plan: `very-long-plan-${'x'.repeat(120)}\n` });

  const subject = sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject ?? '';
  expect(subject.length).toBeLessThanOrEqual(100);
  expect(subject).toMatch(/^cutover very-long-plan-x+\.\.\.$/);
});

it('fails with Throttled when SNS throttles', async () => {
  sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

  await expect(notifier.notify(event)).rejects.toMatchObject({ name: 'Throttled' });
});

it("publishes to the plan's own topic as well, when the plan names one", async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'b1946ac9-2e8f-5b3c-9b5e-1e2e3f4a5b6c' });
  const planTopicArn = 'arn:aws:sns:eu-west-1:123456789012:web-team-pager';

  await notifier.notify({ ...event, planTopicArn });

  expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input.TopicArn)).toEqual([
    topicArn,
    planTopicArn,
  ]);
});

it("names the execution's ARN when there is no console (runbook runs)", async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'id' });

  await new SnsNotifier(new SNSClient({}), topicArn).notify(event);

  expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain(`execution: ${executionArn}`);
});
