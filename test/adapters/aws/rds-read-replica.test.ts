import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeDBInstancesCommand,
  InvalidDBInstanceStateFault,
  PromoteReadReplicaCommand,
  RDSClient,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { RdsReadReplica } from '../../../adapters/aws/rds-read-replica';

const rds = mockClient(RDSClient);
const cloudwatch = mockClient(CloudWatchClient);
const now = new Date('2026-11-26T10:00:00Z');
const database = new RdsReadReplica(new RDSClient({}), new CloudWatchClient({}), {
  replicaInstanceId: 'orders-replica',
  now: () => now,
});

function instance(status: string, options: { replica?: boolean; replication?: string } = {}) {
  const { replica = true, replication = 'replicating' } = options;
  const db: DBInstance = {
    DBInstanceIdentifier: 'orders-replica',
    DBInstanceArn: 'arn:aws:rds:eu-west-1:123456789012:db:orders-replica',
    DBInstanceStatus: status,
    Engine: 'postgres',
    ...(replica
      ? {
          ReadReplicaSourceDBInstanceIdentifier: 'orders',
          StatusInfos: [
            { StatusType: 'read replication', Normal: replication === 'replicating', Status: replication },
          ],
        }
      : {}),
  };
  return { DBInstances: [db] };
}

function lagDatapoints(values: number[]) {
  return {
    MetricDataResults: [
      {
        Id: 'replicaLag',
        Label: 'ReplicaLag',
        Timestamps: values.map((_, i) => new Date(now.getTime() - (i + 1) * 60_000)),
        Values: values,
        StatusCode: 'Complete' as const,
      },
    ],
  };
}

beforeEach(() => {
  rds.reset();
  cloudwatch.reset();
});

describe('lag', () => {
  it('reads the latest ReplicaLag of the replica', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available'));
    cloudwatch.on(GetMetricDataCommand).resolves(lagDatapoints([3, 12]));

    await expect(database.lag()).resolves.toEqual({ amount: 3, unit: 'seconds', streaming: true });
    expect(rds).toReceiveCommandWith(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-replica' });
    expect(cloudwatch).toReceiveCommandWith(GetMetricDataCommand, {
      MetricDataQueries: [
        expect.objectContaining({
          MetricStat: expect.objectContaining({
            Metric: {
              Namespace: 'AWS/RDS',
              MetricName: 'ReplicaLag',
              Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-replica' }],
            },
          }),
        }),
      ],
    });
  });

  it('reports replication as not streaming when the replica shows a replication error', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { replication: 'error' }));

    await expect(database.lag()).resolves.toEqual({ amount: 0, unit: 'seconds', streaming: false });
    expect(cloudwatch).toReceiveCommandTimes(GetMetricDataCommand, 0);
  });

  it('reports replication as not streaming when the instance is not a replica', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { replica: false }));

    await expect(database.lag()).resolves.toMatchObject({ streaming: false });
  });

  it.each([
    ['there are no datapoints', []],
    ['RDS reports -1', [-1]],
  ])('reports replication as not streaming when %s', async (_case, values) => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available'));
    cloudwatch.on(GetMetricDataCommand).resolves(lagDatapoints(values));

    await expect(database.lag()).resolves.toMatchObject({ streaming: false });
  });
});

describe('switchOver: promotion requested once, then polled (never waits)', () => {
  const requested = { done: false, status: 'promotion requested' };

  it('requests the promotion on the first call and returns at once', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available'));
    rds.on(PromoteReadReplicaCommand).resolves({ DBInstance: instance('modifying').DBInstances[0] });

    await expect(database.switchOver(undefined)).resolves.toEqual(requested);
    expect(rds).toReceiveCommandWith(PromoteReadReplicaCommand, { DBInstanceIdentifier: 'orders-replica' });
    expect(rds).toReceiveCommandTimes(DescribeDBInstancesCommand, 1);
  });

  it('polls a slow promotion until the instance is standalone and available, never asking again', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce(instance('available'))
      .resolvesOnce(instance('modifying'))
      .resolvesOnce(instance('rebooting', { replica: false }))
      .resolves(instance('available', { replica: false }));

    const polls = [];
    let progress = await database.switchOver(requested);
    polls.push(progress);
    while (!progress.done) polls.push((progress = await database.switchOver(progress)));

    expect(polls.map((poll) => poll.status)).toEqual(['available', 'modifying', 'rebooting', 'available']);
    expect(polls.at(-1)?.done).toBe(true);
    expect(rds).toReceiveCommandTimes(PromoteReadReplicaCommand, 0);
  });

  it('does not promote when the instance is no longer a replica', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { replica: false }));

    await expect(database.switchOver(undefined)).resolves.toEqual({ done: true, status: 'available' });
    expect(rds).toReceiveCommandTimes(PromoteReadReplicaCommand, 0);
  });

  it('waits for a promotion already under way instead of asking again', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('modifying'));

    await expect(database.switchOver(undefined)).resolves.toEqual({ done: false, status: 'modifying' });
    expect(rds).toReceiveCommandTimes(PromoteReadReplicaCommand, 0);
  });

  it('fails with SwitchoverFailed when RDS refuses the promotion', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available'));
    rds
      .on(PromoteReadReplicaCommand)
      .rejects(
        new InvalidDBInstanceStateFault({ $metadata: {}, message: 'DB Instance is not a read replica.' }),
      );

    await expect(database.switchOver(undefined)).rejects.toMatchObject({
      name: 'SwitchoverFailed',
      message: 'RDS refused to promote orders-replica: DB Instance is not a read replica.',
    });
  });

  it('fails with SwitchoverFailed when the instance breaks during promotion', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('failed'));

    await expect(database.switchOver(requested)).rejects.toMatchObject({
      name: 'SwitchoverFailed',
      message: 'DB instance orders-replica is failed; it cannot be promoted',
    });
  });

  it('fails with Throttled when RDS throttles', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

    await expect(database.switchOver(undefined)).rejects.toMatchObject({ name: 'Throttled' });
  });
});
