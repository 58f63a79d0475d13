import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeBlueGreenDeploymentsCommand,
  InvalidBlueGreenDeploymentStateFault,
  RDSClient,
  SwitchoverBlueGreenDeploymentCommand,
  type BlueGreenDeployment,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { RdsBlueGreen } from '../../../adapters/aws/rds-blue-green';

const rds = mockClient(RDSClient);
const cloudwatch = mockClient(CloudWatchClient);
const now = new Date('2026-11-26T10:00:00Z');
const arn = (name: string) => `arn:aws:rds:eu-west-1:123456789012:db:${name}`;

function database() {
  return new RdsBlueGreen(new RDSClient({}), new CloudWatchClient({}), {
    blueGreenDeploymentId: 'bgd-abc123',
    switchoverTimeoutSeconds: 300,
    now: () => now,
  });
}

function deployment(status: string, statusDetails?: string): BlueGreenDeployment {
  return {
    BlueGreenDeploymentIdentifier: 'bgd-abc123',
    BlueGreenDeploymentName: 'orders-pg17',
    Source: arn('orders'),
    Target: arn('orders-green-x7k2p9'),
    SwitchoverDetails: [
      {
        SourceMember: arn('orders-replica'),
        TargetMember: arn('orders-replica-green-q1w2e3'),
        Status: 'AVAILABLE',
      },
      { SourceMember: arn('orders'), TargetMember: arn('orders-green-x7k2p9'), Status: 'AVAILABLE' },
    ],
    Status: status,
    ...(statusDetails === undefined ? {} : { StatusDetails: statusDetails }),
    CreateTime: new Date('2026-11-25T08:00:00Z'),
  };
}

function described(status: string, statusDetails?: string): { BlueGreenDeployments: BlueGreenDeployment[] } {
  return { BlueGreenDeployments: [deployment(status, statusDetails)] };
}

beforeEach(() => {
  rds.reset();
  cloudwatch.reset();
});

it('fails when the switchover timeout is outside what RDS accepts', () => {
  expect(
    () =>
      new RdsBlueGreen(new RDSClient({}), new CloudWatchClient({}), {
        blueGreenDeploymentId: 'bgd-abc123',
        switchoverTimeoutSeconds: 10,
      }),
  ).toThrow('switchoverTimeoutSeconds must be a whole number from 30 to 3600, got 10');
});

describe('lag', () => {
  it('reads the latest ReplicaLag of the green primary instance', async () => {
    rds.on(DescribeBlueGreenDeploymentsCommand).resolves(described('AVAILABLE'));
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: 'replicaLag',
          Label: 'ReplicaLag',
          Timestamps: [
            new Date('2026-11-26T09:58:00Z'),
            new Date('2026-11-26T09:59:00Z'),
            new Date('2026-11-26T09:57:00Z'),
          ],
          Values: [4, 2, 9],
          StatusCode: 'Complete',
        },
      ],
    });

    await expect(database().lag()).resolves.toEqual({ amount: 2, unit: 'seconds', streaming: true });
    expect(rds).toReceiveCommandWith(DescribeBlueGreenDeploymentsCommand, {
      BlueGreenDeploymentIdentifier: 'bgd-abc123',
    });
    expect(cloudwatch).toReceiveCommandWith(GetMetricDataCommand, {
      StartTime: new Date('2026-11-26T09:55:00Z'),
      EndTime: now,
      MetricDataQueries: [
        expect.objectContaining({
          MetricStat: expect.objectContaining({
            Metric: {
              Namespace: 'AWS/RDS',
              MetricName: 'ReplicaLag',
              Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-green-x7k2p9' }],
            },
          }),
        }),
      ],
    });
  });

  it('reports replication as not streaming when there are no datapoints', async () => {
    rds.on(DescribeBlueGreenDeploymentsCommand).resolves(described('AVAILABLE'));
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'replicaLag', Label: 'ReplicaLag', Timestamps: [], Values: [], StatusCode: 'Complete' },
      ],
    });

    await expect(database().lag()).resolves.toEqual({ amount: 0, unit: 'seconds', streaming: false });
  });
});

it('refuses an Aurora deployment with a clear message (cluster actions and metrics are not supported)', async () => {
  rds.on(DescribeBlueGreenDeploymentsCommand).resolves({
    BlueGreenDeployments: [
      {
        ...deployment('AVAILABLE'),
        Source: 'arn:aws:rds:eu-west-1:123456789012:cluster:orders',
        Target: 'arn:aws:rds:eu-west-1:123456789012:cluster:orders-green-x7k2p9',
      },
    ],
  });

  await expect(database().lag()).rejects.toMatchObject({
    name: 'PreflightFailed',
    message:
      'blue/green deployment bgd-abc123 is for an Aurora cluster (arn:aws:rds:eu-west-1:123456789012:cluster:orders); cutover switches over RDS DB instances only',
  });
  await expect(database().switchOver(undefined)).rejects.toMatchObject({ name: 'PreflightFailed' });
  expect(rds).toReceiveCommandTimes(SwitchoverBlueGreenDeploymentCommand, 0);
});

describe('switchOver: requested once, then polled (never waits)', () => {
  const requested = { done: false, status: 'SWITCHOVER_REQUESTED' };
  const inProgress = { done: false, status: 'SWITCHOVER_IN_PROGRESS' };

  it('reports done when the switchover already completed, without asking for another', async () => {
    rds.on(DescribeBlueGreenDeploymentsCommand).resolves(described('SWITCHOVER_COMPLETED'));

    await expect(database().switchOver(undefined)).resolves.toEqual({
      done: true,
      status: 'SWITCHOVER_COMPLETED',
    });
    expect(rds).toReceiveCommandTimes(SwitchoverBlueGreenDeploymentCommand, 0);
  });

  it('requests the switchover with its timeout on the first call, and returns at once', async () => {
    rds.on(DescribeBlueGreenDeploymentsCommand).resolves(described('AVAILABLE'));
    rds
      .on(SwitchoverBlueGreenDeploymentCommand)
      .resolves({ BlueGreenDeployment: deployment('SWITCHOVER_IN_PROGRESS') });

    await expect(database().switchOver(undefined)).resolves.toEqual(requested);
    expect(rds).toReceiveCommandWith(SwitchoverBlueGreenDeploymentCommand, {
      BlueGreenDeploymentIdentifier: 'bgd-abc123',
      SwitchoverTimeout: 300,
    });
  });

  it('polls a requested switchover through to completion without asking again (slow switchover)', async () => {
    rds
      .on(DescribeBlueGreenDeploymentsCommand)
      .resolvesOnce(described('AVAILABLE'))
      .resolvesOnce(described('SWITCHOVER_IN_PROGRESS'))
      .resolvesOnce(described('SWITCHOVER_IN_PROGRESS'))
      .resolves(described('SWITCHOVER_COMPLETED'));

    const polls = [];
    let progress = await database().switchOver(requested);
    polls.push(progress);
    while (!progress.done) polls.push((progress = await database().switchOver(progress)));

    expect(polls).toEqual([
      requested,
      inProgress,
      inProgress,
      { done: true, status: 'SWITCHOVER_COMPLETED' },
    ]);
    expect(rds).toReceiveCommandTimes(SwitchoverBlueGreenDeploymentCommand, 0);
  });

  it.each(['SWITCHOVER_FAILED', 'INVALID_CONFIGURATION'])(
    'fails with SwitchoverFailed when the deployment is %s',
    async (status) => {
      rds
        .on(DescribeBlueGreenDeploymentsCommand)
        .resolves(described(status, 'Switchover failed: the green primary is not in sync'));

      await expect(database().switchOver(inProgress)).rejects.toMatchObject({
        name: 'SwitchoverFailed',
        message: `blue/green deployment bgd-abc123 is ${status}: Switchover failed: the green primary is not in sync`,
      });
    },
  );

  it('fails with SwitchoverFailed when RDS refuses the switchover (InvalidBlueGreenDeploymentStateFault)', async () => {
    rds.on(DescribeBlueGreenDeploymentsCommand).resolves(described('AVAILABLE'));
    rds.on(SwitchoverBlueGreenDeploymentCommand).rejects(
      new InvalidBlueGreenDeploymentStateFault({
        $metadata: {},
        message: 'Replica lag is too high to switch over. Try again when the replica lag is lower.',
      }),
    );

    await expect(database().switchOver(undefined)).rejects.toMatchObject({
      name: 'SwitchoverFailed',
      message:
        'RDS refused the switchover: Replica lag is too high to switch over. Try again when the replica lag is lower.',
    });
  });

  it('fails when the switchover was rolled back after it started (timed out on the RDS side)', async () => {
    rds
      .on(DescribeBlueGreenDeploymentsCommand)
      .resolves(described('AVAILABLE', 'Switchover timed out, changes were rolled back'));

    await expect(database().switchOver(inProgress)).rejects.toMatchObject({
      name: 'SwitchoverFailed',
      message:
        'blue/green deployment bgd-abc123 is AVAILABLE again: the switchover was rolled back: Switchover timed out, changes were rolled back',
    });
    expect(rds).toReceiveCommandTimes(SwitchoverBlueGreenDeploymentCommand, 0);
  });

  it('fails with Throttled when RDS throttles', async () => {
    rds
      .on(DescribeBlueGreenDeploymentsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

    await expect(database().switchOver(undefined)).rejects.toMatchObject({ name: 'Throttled' });
  });
});
