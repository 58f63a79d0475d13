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
import type { ReplicationLag, WalCatchUp } from '../../../ports/database';

const rds = mockClient(RDSClient);

/** The WAL positions, read from the databases themselves (tested against PostgreSQL in wal-replay-lag). */
class ScriptedWal implements WalCatchUp {
  source = '0/3000148';
  behind: ReplicationLag = { amount: 0, unit: 'bytes', streaming: true };
  readonly asked: string[] = [];
  async sourcePosition(): Promise<string> {
    return this.source;
  }
  async lagBehind(position: string): Promise<ReplicationLag> {
    this.asked.push(position);
    return this.behind;
  }
  problems: string[] = [];
  async preflight(): Promise<string[]> {
    return this.problems;
  }
}

let wal: ScriptedWal;
let database: RdsReadReplica;

function instance(
  status: string,
  options: { replica?: boolean; replication?: string; source?: string } = {},
) {
  const { replica = true, replication = 'replicating', source = 'orders' } = options;
  const db: DBInstance = {
    DBInstanceIdentifier: 'orders-replica',
    DBInstanceArn: 'arn:aws:rds:eu-west-1:123456789012:db:orders-replica',
    DBInstanceStatus: status,
    Engine: 'postgres',
    ...(replica
      ? {
          ReadReplicaSourceDBInstanceIdentifier: source,
          StatusInfos: [
            { StatusType: 'read replication', Normal: replication === 'replicating', Status: replication },
          ],
        }
      : {}),
  };
  return { DBInstances: [db] };
}

beforeEach(() => {
  rds.reset();
  wal = new ScriptedWal();
  database = new RdsReadReplica(new RDSClient({}), wal, {
    replicaInstanceId: 'orders-replica',
    sourceInstanceId: 'orders',
  });
});

describe('lag: by WAL position, once RDS reports the replica replicating', () => {
  it('reads the replay lag behind the source’s current position, in bytes', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available'));
    wal.behind = { amount: 4096, unit: 'bytes', streaming: true };

    await expect(database.lag()).resolves.toEqual({ amount: 4096, unit: 'bytes', streaming: true });
    expect(wal.asked).toEqual(['0/3000148']);
    expect(rds).toReceiveCommandWith(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-replica' });
  });

  it('reports replication as not streaming when the replica shows a replication error', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { replication: 'error' }));

    await expect(database.lag()).resolves.toEqual({ amount: 0, unit: 'bytes', streaming: false });
    expect(wal.asked).toEqual([]);
  });

  it('reports replication as not streaming when the instance is not a replica', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { replica: false }));

    await expect(database.lag()).resolves.toMatchObject({ streaming: false });
  });

  it('judges catch-up inside the freeze by replay position alone, without calling RDS', async () => {
    await expect(database.lagBehind('0/5000000')).resolves.toEqual(wal.behind);
    expect(wal.asked).toEqual(['0/5000000']);
    expect(rds).toReceiveCommandTimes(DescribeDBInstancesCommand, 0);
  });
});

describe('preflight: the replica follows the plan’s source', () => {
  it.each([
    ['its identifier', 'orders'],
    ['its ARN (a cross-region replica)', 'arn:aws:rds:us-east-1:123456789012:db:orders'],
    ['its identifier in another case', 'ORDERS'],
  ])('accepts a replica whose source is named by %s', async (_how, source) => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { source }));

    await expect(database.preflight()).resolves.toEqual([]);
  });

  it('refuses a replica of another instance, naming the field and the source it follows', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { source: 'billing' }));

    await expect(database.preflight()).resolves.toEqual([
      'database.sourceInstanceId: "orders" is not the source of read replica orders-replica, ' +
        'which follows "billing"; name the replica’s source instance',
    ]);
  });

  it('refuses a cross-region replica of an instance with another identifier', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolves(instance('available', { source: 'arn:aws:rds:us-east-1:123456789012:db:orders-old' }));

    await expect(database.preflight()).resolves.toEqual([
      expect.stringContaining('which follows "arn:aws:rds:us-east-1:123456789012:db:orders-old"'),
    ]);
  });

  it('adds what the databases themselves say about the replica’s connection', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { source: 'billing' }));
    wal.problems = ['database.replica: its connection reaches a standby of another database cluster'];

    await expect(database.preflight()).resolves.toEqual([
      expect.stringContaining('database.sourceInstanceId: "orders" is not the source'),
      'database.replica: its connection reaches a standby of another database cluster',
    ]);
  });

  it('refuses an instance that is not a read replica', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('available', { replica: false }));

    await expect(database.preflight()).resolves.toEqual([
      'database.replicaInstanceId: DB instance orders-replica is not a read replica; name a read replica of orders',
    ]);
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
