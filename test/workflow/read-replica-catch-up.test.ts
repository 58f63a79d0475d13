/**
 * An RDS read-replica switchover through the synthesized workflow, with the real adapters: RDS faked at
 * the SDK boundary (DescribeDBInstances, PromoteReadReplica), the source a real PostgreSQL server and the
 * replica a real physical streaming standby of it (local/physical-standby.ts), whose replay is paused to
 * make it lag. Secrets Manager is not involved: the test hands the adapters their connections.
 */
import { randomBytes } from 'node:crypto';
import {
  DescribeDBInstancesCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { RdsReadReplica } from '../../adapters/aws/rds-read-replica';
import { PostgresSessions } from '../../adapters/postgres/postgres-sessions';
import { WalReplayLag } from '../../adapters/postgres/wal-replay-lag';
import { PostgresWriteFreeze } from '../../adapters/postgres/write-freeze';
import { ErrorNames } from '../../domain/errors';
import type { PlanInput } from '../../domain/plan/schema';
import { freePorts } from '../../local/free-ports';
import { startPhysicalStandby, type PhysicalStandby } from '../../local/physical-standby';
import { startPostgresServer, type ConnectionInfo, type RunningServer } from '../../local/postgres-pair';
import { query } from '../support/postgres-query';
import { pauseReplay, resumeReplay } from '../support/standby-replay';
import { expectCompleted, expectInvariants } from '../support/workflow-expectations';
import { fastPlan, PRIVATE_ZONE, Scenario, workflowDefinition } from '../support/workflow-harness';

const rds = mockClient(RDSClient);
const ENDPOINT = 'db.internal.example.com';

let server: RunningServer;
let source: ConnectionInfo;
let standby: PhysicalStandby;
let replicaDb: ConnectionInfo;

beforeAll(async () => {
  workflowDefinition();
  const [port] = (await freePorts(1)) as [number];
  server = await startPostgresServer('blue', port, randomBytes(12).toString('base64url'), {});
  await query(server.connection, 'CREATE DATABASE shop');
  source = { ...server.connection, database: 'shop' };
  await query(source, 'CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric NOT NULL)');
  standby = await startPhysicalStandby(server.connection);
  replicaDb = { ...standby.connection, database: 'shop' };
}, 120_000);

afterAll(async () => {
  await standby?.stop();
  await server?.stop();
});

function readReplicaPlan(): PlanInput {
  return {
    ...fastPlan(),
    database: {
      kind: 'rds-read-replica',
      source: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-AbCdEf' },
      replica: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:replica-GhIjKl' },
      sourceInstanceId: 'orders',
      replicaInstanceId: 'orders-replica',
      endpoint: {
        hostedZoneId: PRIVATE_ZONE,
        name: ENDPOINT,
        ttl: 0,
        blue: 'orders.rds',
        green: 'replica.rds',
      },
      maxLagBytes: 1_048_576,
      maxWriteFreeze: '2s',
      catchUpTimeout: '1s',
      approval: 'none',
    },
  } as PlanInput;
}

function instance(options: { replicaOf?: string } = {}): { DBInstances: DBInstance[] } {
  return {
    DBInstances: [
      {
        DBInstanceIdentifier: 'orders-replica',
        DBInstanceStatus: 'available',
        Engine: 'postgres',
        ...(options.replicaOf
          ? {
              ReadReplicaSourceDBInstanceIdentifier: options.replicaOf,
              StatusInfos: [{ StatusType: 'read replication', Normal: true, Status: 'replicating' }],
            }
          : {}),
      },
    ],
  };
}

/** RDS as it answers for a replica of `replicaOf`, promoted once asked to. */
function fakeRds(replicaOf: string): void {
  let promoted = false;
  rds.reset();
  rds.on(DescribeDBInstancesCommand).callsFake(async () => (promoted ? instance() : instance({ replicaOf })));
  rds.on(PromoteReadReplicaCommand).callsFake(async () => {
    promoted = true;
    return { DBInstance: instance({ replicaOf }).DBInstances[0] };
  });
}

async function scenario(
  execution: string,
  replay: 'replaying' | 'paused',
  replicaOf = 'orders',
): Promise<Scenario> {
  fakeRds(replicaOf);
  await new PostgresWriteFreeze(new PostgresSessions(source)).unfreeze();
  await (replay === 'paused' ? pauseReplay(replicaDb) : resumeReplay(replicaDb));
  await query(source, 'INSERT INTO orders (total) SELECT i FROM generate_series(1, 100) i');
  const s = new Scenario(readReplicaPlan(), execution);
  const db = s.plan.database;
  if (db.kind === 'rds-read-replica') s.router.addEndpoint(db.endpoint, db.endpoint.blue);
  Object.assign(s.ports, {
    database: async () => {
      const sessions = new PostgresSessions(source);
      const replicaSessions = new PostgresSessions(replicaDb);
      const replica = new RdsReadReplica(new RDSClient({}), new WalReplayLag(sessions, replicaSessions), {
        replicaInstanceId: 'orders-replica',
        sourceInstanceId: 'orders',
      });
      return {
        monitor: replica,
        switch: replica,
        catchUp: replica,
        freeze: new PostgresWriteFreeze(sessions),
        preflight: (signal?: AbortSignal) => replica.preflight(signal),
        close: async () => {
          await Promise.all([sessions.close(), replicaSessions.close()]);
        },
      };
    },
  });
  return s;
}

async function orderCount(db: ConnectionInfo): Promise<string | undefined> {
  const [row] = await query<{ rows: string }>(db, 'SELECT count(*) AS rows FROM orders');
  return row?.rows;
}

function sourceFrozen(): Promise<boolean> {
  return new PostgresWriteFreeze(new PostgresSessions(source)).isFrozen();
}

describe('cutover workflow: RDS read replica, caught up by LSN', () => {
  it('promotes the replica once it has replayed past the source’s position taken after the freeze', async () => {
    const s = await scenario('replica-caught-up', 'replaying');
    const result = await s.run();
    expectCompleted(s, result);
    expect(rds).toReceiveCommandWith(PromoteReadReplicaCommand, { DBInstanceIdentifier: 'orders-replica' });
    expect(s.router.resolveEndpoint(PRIVATE_ZONE, ENDPOINT)).toBe('replica.rds');
    // Blue stays read-only after the switch: a client with the old address cannot split the brain.
    expect(await sourceFrozen()).toBe(true);
    expect(result.states).toContain('CheckCaughtUp');
    // What the source had when it froze is on the replica: it was replayed, not estimated.
    expect(await orderCount(replicaDb)).toBe(await orderCount(source));
  });

  it('rolls back, unfreezing the source and promoting nothing, when the replica’s replay stops short of that position', async () => {
    const s = await scenario('replica-lagging', 'paused');
    const result = await s.run({ waitMs: (state) => (state === 'CaughtUpWait' ? 100 : 0) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverRolledBack' });
    expect(result.cause).toMatch(
      new RegExp(
        `database-prepare: ${ErrorNames.ReplicationLagging}: the target did not catch up within the 2s write freeze \\(lag [1-9]\\d* bytes\\)`,
      ),
    );
    expect(rds).toReceiveCommandTimes(PromoteReadReplicaCommand, 0);
    expect(s.router.resolveEndpoint(PRIVATE_ZONE, ENDPOINT)).toBe('orders.rds');
    expect(s.weights()).toEqual({ blue: 100, green: 0 });
    expect(await sourceFrozen()).toBe(false);
    expectInvariants(s, result);
  });

  it('stops at preflight, before any change, when the replica follows another instance', async () => {
    const s = await scenario('replica-wrong-source', 'replaying', 'billing');
    const result = await s.run();
    expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverStopped' });
    expect(result.cause).toContain(
      'preflight: PreflightFailed: database.sourceInstanceId: "orders" is not the source of read replica orders-replica, which follows "billing"',
    );
    expect(s.weightHistory).toEqual([]);
    expect(rds).toReceiveCommandTimes(PromoteReadReplicaCommand, 0);
    expect(await sourceFrozen()).toBe(false);
    expectInvariants(s, result);
  });
});
