import { DisableRuleCommand, EnableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
/**
 * Every step's Lambda entry (lambdas/steps/*.ts) with its real wiring, faked only at the SDK boundary:
 * each handler export runs once against aws-sdk-client-mock and makes the AWS calls its step should.
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeBlueGreenDeploymentsCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanInput } from '../../domain/plan/schema';
import { wirePorts } from '../../lambdas/wiring/port-wiring';
import { STEP_NAMES, type StepName } from '../../workflow/registry';
import { contextOf } from '../support/plans';
import { fastPlan, ZONE } from '../support/workflow-harness';

const TABLE = 'cutover-control';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:cutover-events';
process.env['CUTOVER_CONTROL_TABLE'] = TABLE;
process.env['CUTOVER_EVENTS_TOPIC'] = TOPIC;
process.env['CUTOVER_ALLOWED_ZONES'] = JSON.stringify([
  { hostedZoneId: ZONE, recordNames: ['app.example.com'] },
]);
process.env['CUTOVER_CONSOLE_URL'] = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/console/';
process.env['CUTOVER_WATCHER_RULE'] = 'CutoverOrchestrator-health-watcher';

const ddb = mockClient(DynamoDBDocumentClient);
const route53 = mockClient(Route53Client);
const cloudwatch = mockClient(CloudWatchClient);
const rds = mockClient(RDSClient);
const sns = mockClient(SNSClient);
const sfn = mockClient(SFNClient);
const events = mockClient(EventBridgeClient);

const lambdaContext = {
  getRemainingTimeInMillis: () => 60_000,
  functionName: 'f',
  awsRequestId: 'r',
} as never;
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:CutoverWorkflow:e1';

/** fastPlan judged by a CloudWatch alarm (no HTTP leaves the test), with an RDS Blue/Green switchover. */
function awsPlan(): PlanInput {
  return {
    ...fastPlan(),
    health: { probes: [{ kind: 'alarm', alarmName: 'green-5xx' }], interval: '50ms' },
    traffic: { steps: [10, 100], bake: '300ms' },
    database: {
      kind: 'rds-blue-green',
      blueGreenDeploymentId: 'bgd-wxyz1234abcd',
      maxLag: '2s',
      approval: 'none',
    },
  } as PlanInput;
}
const context = contextOf(awsPlan(), EXECUTION);
const step = context.steps[0]!;
const ticket = { id: '/change/C1', hostedZoneId: ZONE };
const deployment = {
  BlueGreenDeploymentIdentifier: 'bgd-wxyz1234abcd',
  Source: 'arn:aws:rds:eu-west-1:123456789012:db:orders',
  SwitchoverDetails: [
    {
      SourceMember: 'arn:aws:rds:eu-west-1:123456789012:db:orders',
      TargetMember: 'arn:aws:rds:eu-west-1:123456789012:db:orders-green',
    },
  ],
};

beforeEach(() => {
  for (const mock of [ddb, route53, cloudwatch, rds, sns, sfn, events]) mock.reset();
  events.on(EnableRuleCommand).resolves({});
  events.on(DisableRuleCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  route53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() },
  });
  route53.on(GetChangeCommand).resolves({
    ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() },
  });
  route53.on(ListResourceRecordSetsCommand).resolves({
    IsTruncated: false,
    MaxItems: 100,
    ResourceRecordSets: [
      {
        Name: 'app.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'blue',
        Weight: 100,
        TTL: 0,
        ResourceRecords: [{ Value: 'blue.example.com' }],
      },
      {
        Name: 'app.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'green',
        Weight: 0,
        TTL: 0,
        ResourceRecords: [{ Value: 'green.example.com' }],
      },
    ],
  });
  cloudwatch
    .on(DescribeAlarmsCommand)
    .resolves({ MetricAlarms: [{ AlarmName: 'green-5xx', StateValue: 'OK' }] });
  cloudwatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [{ Id: 'replicaLag', Timestamps: [new Date()], Values: [0.5] }],
  });
  rds
    .on(DescribeBlueGreenDeploymentsCommand)
    .resolves({ BlueGreenDeployments: [{ ...deployment, Status: 'SWITCHOVER_COMPLETED' }] });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

async function invoke(name: StepName, event: unknown): Promise<unknown> {
  const { handler } = (await import(`../../lambdas/steps/${name}`)) as {
    handler: (event: unknown, context: never) => Promise<unknown>;
  };
  return handler(event, lambdaContext);
}

describe('step entries', () => {
  it('has one entry per step, and no entry without a step', () => {
    const entries = readdirSync(join(__dirname, '..', '..', 'lambdas', 'steps')).map((f) =>
      f.replace(/\.ts$/, ''),
    );
    expect(entries.sort()).toEqual([...STEP_NAMES].sort());
  });

  it('validate-plan resolves the context without calling AWS', async () => {
    expect(await invoke('validate-plan', { plan: awsPlan(), execution: EXECUTION })).toEqual(context);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('acquire-lock puts one conditional lock item per record', async () => {
    expect(await invoke('acquire-lock', { context, lockSeconds: 3600 })).toEqual({
      locked: context.lockKeys.length,
    });
    expect(ddb).toReceiveCommandTimes(PutCommand, context.lockKeys.length);
    expect(ddb).toReceiveCommandWith(PutCommand, { TableName: TABLE });
  });

  it('release-lock deletes the lock items', async () => {
    expect(await invoke('release-lock', { context })).toEqual({ released: context.lockKeys.length });
    expect(ddb).toReceiveCommandTimes(DeleteCommand, context.lockKeys.length);
    expect(ddb).toReceiveCommandWith(DeleteCommand, { TableName: TABLE });
  });

  it('preflight reads the control record, the weights, the alarm and the replica lag', async () => {
    expect(await invoke('preflight', { context })).toEqual({ ok: true });
    expect(ddb).toReceiveCommandWith(GetCommand, { TableName: TABLE });
    expect(route53).toReceiveCommandWith(ListResourceRecordSetsCommand, { HostedZoneId: ZONE });
    expect(cloudwatch).toReceiveCommandWith(DescribeAlarmsCommand, { AlarmNames: ['green-5xx'] });
    expect(cloudwatch).toReceiveCommand(GetMetricDataCommand);
  });

  it.each(['start-deploy', 'check-deploy'] as const)(
    '%s verifies an already deployed green by its alarm',
    async (name) => {
      const startedAt = new Date().toISOString();
      expect(await invoke(name, { context, startedAt })).toMatchObject({ done: true });
      expect(cloudwatch).toReceiveCommandWith(DescribeAlarmsCommand, { AlarmNames: ['green-5xx'] });
    },
  );

  it('set-weights changes both records in one Route 53 change', async () => {
    expect(await invoke('set-weights', { context, step })).toEqual({ tickets: [ticket] });
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(route53).toReceiveCommandWith(ChangeResourceRecordSetsCommand, { HostedZoneId: ZONE });
  });

  it('check-in-sync asks Route 53 for the change', async () => {
    expect(await invoke('check-in-sync', { execution: EXECUTION, tickets: [ticket] })).toEqual({
      inSync: true,
    });
    expect(route53).toReceiveCommandWith(GetChangeCommand, { Id: '/change/C1' });
  });

  it('start-bake registers the pending bake on the control record and wakes the watcher', async () => {
    const event = { context, step, tickets: [ticket], taskToken: 'token-1' };
    expect(await invoke('start-bake', event)).toEqual({ registered: true });
    expect(ddb).toReceiveCommandWith(UpdateCommand, { TableName: TABLE });
    expect(events).toReceiveCommandWith(EnableRuleCommand, { Name: 'CutoverOrchestrator-health-watcher' });
  });

  it('watch-bakes takes its lease, queries the pending index, and sleeps when no bake is pending', async () => {
    expect(await invoke('watch-bakes', { windowSeconds: 0 })).toEqual({ rounds: 0, completed: 0 });
    expect(ddb).toReceiveCommandWith(UpdateCommand, { Key: { pk: 'WATCHER#lease', sk: 'LEASE' } });
    expect(ddb).toReceiveCommandWith(QueryCommand, { TableName: TABLE, IndexName: 'pending' });
    expect(events).toReceiveCommandWith(DisableRuleCommand, { Name: 'CutoverOrchestrator-health-watcher' });
  });

  it("await-human parks the token and notifies operators with the execution's console page, not the token", async () => {
    const taskToken = 'AQCEAAAAKgAAAAMAAAAAAAAAAWtoken-1';
    expect(await invoke('await-human', { context, kind: 'decision', taskToken })).toEqual({
      waiting: 'decision',
    });
    expect(ddb).toReceiveCommandWith(UpdateCommand, { TableName: TABLE });
    expect(sns).toReceiveCommandWith(PublishCommand, { TopicArn: TOPIC });
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(message).toContain(
      'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/console/execution?name=e1',
    );
    expect(message).not.toContain(taskToken);
  });

  it('check-lag reads the green instance’s ReplicaLag', async () => {
    expect(await invoke('check-lag', { context })).toMatchObject({ caughtUp: true, lag: 0.5 });
    expect(rds).toReceiveCommandWith(DescribeBlueGreenDeploymentsCommand, {
      BlueGreenDeploymentIdentifier: 'bgd-wxyz1234abcd',
    });
  });

  it.each([
    ['freeze-writes', 'frozenAt'],
    ['sync-sequences', 'synced'],
    ['verify-data', 'done'],
    ['recheck-data', 'tables'],
  ] as const)('%s has nothing to do for RDS Blue/Green', async (name, field) => {
    expect(await invoke(name, { context })).toHaveProperty(field);
    expect(rds.calls()).toHaveLength(0);
  });

  it('check-caught-up judges the lag with writes frozen', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'replicaLag', Timestamps: [new Date()], Values: [0] }],
    });
    expect(await invoke('check-caught-up', { context, since: new Date().toISOString() })).toEqual({
      caughtUp: true,
      lag: 0,
    });
  });

  it('switch-database finds the switchover completed and repoints no endpoint', async () => {
    expect(await invoke('switch-database', { context })).toMatchObject({
      done: true,
      progress: { done: true, status: 'SWITCHOVER_COMPLETED' },
      tickets: [],
    });
    expect(rds).toReceiveCommand(DescribeBlueGreenDeploymentsCommand);
  });

  it.each(['rollback', 'restore'] as const)('%s sets blue back to 100 %%', async (name) => {
    expect(await invoke(name, { context })).toEqual({ tickets: [ticket] });
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
  });

  it('record-outcome writes the audit record and notifies', async () => {
    expect(await invoke('record-outcome', { context, outcome: 'completed' })).toMatchObject({
      outcome: 'completed',
    });
    expect(ddb).toReceiveCommandWith(PutCommand, { TableName: TABLE });
    expect(sns).toReceiveCommandWith(PublishCommand, { TopicArn: TOPIC });
  });
});

describe('wirePorts', () => {
  it('fails naming the port and the entry when a step uses a port its entry does not wire', () => {
    const ports = wirePorts('set-weights', {});
    expect(() => ports.traffic).toThrow(
      'step set-weights uses the traffic port, which lambdas/steps/set-weights.ts does not wire',
    );
  });

  it('builds each port once, on first use', () => {
    let built = 0;
    const ports = wirePorts('release-lock', {
      lock: () => ((built += 1), { acquire: jest.fn(), renew: jest.fn(), release: jest.fn() }),
    });
    expect(built).toBe(0);
    expect(ports.lock).toBe(ports.lock);
    expect(built).toBe(1);
  });
});
