/**
 * The runbook steps' Lambda entries (lambdas/runbook/*.ts) with their real wiring, faked only at the
 * SDK boundary: each handler makes the AWS calls its step should.
 */
import {
  ListTasksCommand,
  DescribeTasksCommand,
  DescribeContainerInstancesCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DescribeInstanceInformationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { loadRunbook } from '../../runbooks/catalog';

process.env['CUTOVER_CONTROL_TABLE'] = 'cutover-control';
process.env['CUTOVER_EVENTS_TOPIC'] = 'arn:aws:sns:eu-west-1:123456789012:cutover-events';
process.env['CUTOVER_RUNBOOK_OUTPUT_LOG_GROUP'] = '/cutover/runbook-output';

const ssm = mockClient(SSMClient);
const ecs = mockClient(ECSClient);
const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const context = { getRemainingTimeInMillis: () => 60_000, functionName: 'f', awsRequestId: 'r' } as never;
const runbook = loadRunbook('reap-zombies'); // targets the hosts of ECS service production/orders
const request = { startedBy: 'cli:ops@laptop', trigger: 'manual' };
const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012';

async function entry(name: string): Promise<(event: unknown, context: never) => Promise<unknown>> {
  return ((await import(`../../lambdas/runbook/${name}`)) as { handler: never }).handler;
}

describe('runbook Lambda entries', () => {
  it('prepare resolves an ECS service to its container instances, kept only when opted in and online', async () => {
    ecs
      .on(ListTasksCommand)
      .resolves({ taskArns: [`${CLUSTER_ARN}:task/production/t1`, `${CLUSTER_ARN}:task/production/t2`] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: `${CLUSTER_ARN}:task/production/t1`,
          containerInstanceArn: `${CLUSTER_ARN}:container-instance/production/c1`,
          launchType: 'EC2',
        },
        { taskArn: `${CLUSTER_ARN}:task/production/t2`, launchType: 'FARGATE' },
      ],
    });
    ecs.on(DescribeContainerInstancesCommand).resolves({
      containerInstances: [
        {
          containerInstanceArn: `${CLUSTER_ARN}:container-instance/production/c1`,
          ec2InstanceId: 'i-0123456789abcdef0',
        },
      ],
    });
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [
        { InstanceId: 'i-0123456789abcdef0', PingStatus: 'Online', PlatformType: 'Linux' },
      ],
    });
    const handler = await entry('prepare');
    const run = (await handler({ runbook, execution: 'run-1', request }, context)) as { targets: string[] };

    expect(run.targets).toEqual(['i-0123456789abcdef0']);
    expect(ecs).toHaveReceivedCommandWith(ListTasksCommand, {
      cluster: 'production',
      serviceName: 'orders',
      desiredStatus: 'RUNNING',
    });
    expect(ssm).toHaveReceivedCommandWith(DescribeInstanceInformationCommand, {
      Filters: [
        { Key: 'InstanceIds', Values: ['i-0123456789abcdef0'] },
        { Key: 'tag:cutover-runbooks', Values: ['enabled'] },
        { Key: 'PingStatus', Values: ['Online'] },
      ],
    });
  });

  it('send-batch sends the document to the canary, its full output to the log group', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'c-1' } });
    const handler = await entry('send-batch');
    const run = {
      runId: 'run-1',
      startedAt: '2026-11-30T04:00:00.000Z',
      dryRun: false,
      targets: ['i-1', 'i-2'],
      pending: ['i-1', 'i-2'],
      canaryDone: false,
      batch: null,
      results: [],
      failedAfterCanary: 0,
      verdict: 'continue',
    };
    const next = (await handler(
      { runbook, execution: 'run-1', documentName: 'cutover-runbook-reap-zombies', run },
      context,
    )) as { pending: string[] };

    expect(next.pending).toEqual(['i-2']);
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, {
      DocumentName: 'cutover-runbook-reap-zombies',
      InstanceIds: ['i-1'],
      Parameters: { dryRun: ['false'] },
      CloudWatchOutputConfig: {
        CloudWatchLogGroupName: '/cutover/runbook-output',
        CloudWatchOutputEnabled: true,
      },
    });
  });

  it('poll-batch lists the invocations; finish records the run, notifies and fails on a failed canary', async () => {
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: [
        {
          CommandId: 'c-1',
          InstanceId: 'i-1',
          Status: 'Failed',
          CommandPlugins: [{ Name: 'step1', Output: '{"status":"failed","error":"boom"}' }],
        },
      ],
    });
    ddb.on(PutCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const run = {
      runId: 'run-1',
      startedAt: '2026-11-30T04:00:00.000Z',
      dryRun: false,
      targets: ['i-1', 'i-2'],
      pending: ['i-2'],
      canaryDone: false,
      batch: {
        commandId: 'c-1',
        targets: ['i-1'],
        sentAt: new Date().toISOString(),
        pollSeconds: 5,
        canary: true,
      },
      results: [],
      failedAfterCanary: 0,
      verdict: 'polling',
    };
    const polled = (await (
      await entry('poll-batch')
    )({ runbook, execution: 'run-1', run }, context)) as { verdict: string };
    expect(polled.verdict).toBe('canary-failed');

    await expect(
      (await entry('finish'))({ runbook, execution: 'run-1', request, run: polled, error: {} }, context),
    ).rejects.toMatchObject({
      name: 'CanaryFailed',
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'cutover-control',
      Item: expect.objectContaining({
        pk: 'RUNBOOK#reap-zombies',
        outcome: 'canary-failed',
        results: [{ target: 'i-1', status: 'Failed', outcome: 'failed', summary: 'failed: boom' }],
      }),
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:cutover-events',
    });
  });
});
