/**
 * An RDS read-replica switchover through the synthesized workflow, with the real adapters: RDS faked at
 * the SDK boundary (DescribeDBInstances, PromoteReadReplica), the source a real PostgreSQL server and the
 * replica a real physical streaming standby of it (local/physical-standby.ts), whose replay is paused to
 * make it lag. Secrets Manager is not involved: the test hands the adapters their connections.
 */
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
import { PromotionOpeningWrites } from '../../adapters/postgres/promotion-opening-writes';
import { StandbyPromotion } from '../../adapters/postgres/standby-promotion';
import { WalReplayLag } from '../../adapters/postgres/wal-replay-lag';
import { PostgresWriteFreeze } from '../../adapters/postgres/write-freeze';
import { ErrorNames } from '../../domain/errors';
import type { PlanInput } from '../../domain/plan/schema';
import { startPhysicalStandby } from '../../local/physical-standby';
import type { ConnectionInfo } from '../../local/postgres-pair';
import { query } from '../support/postgres-query';
import { pauseReplay, resumeReplay } from '../support/standby-replay';
import {
  startStreamingReplica,
  stopStreamingReplica,
  type StreamingReplica,
} from '../support/streaming-replica';
import { expectCompleted, expectInvariants } from '../support/workflow-expectations';
import { fastPlan, PRIVATE_ZONE, Scenario, workflowDefinition } from '../support/workflow-harness';

const rds = mockClient(RDSClient);
const ENDPOINT = 'db.internal.example.com';

let fixture: StreamingReplica;
let source: ConnectionInfo;
let sharedReplica: ConnectionInfo;

beforeAll(async () => {
  workflowDefinition();
  fixture = await startStreamingReplica();
  ({ source, replica: sharedReplica } = fixture);
}, 120_000);

afterAll(() => stopStreamingReplica(fixture));

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

/**
 * RDS as it answers for a replica of `replicaOf`; asked to promote, it promotes the local standby for
 * real (`promote`) and reports a standalone instance from then on.
 */
function fakeRds(replicaOf: string, promote: () => Promise<unknown>): void {
  let promoted = false;
  rds.reset();
  rds.on(DescribeDBInstancesCommand).callsFake(async () => (promoted ? instance() : instance({ replicaOf })));
  rds.on(PromoteReadReplicaCommand).callsFake(async () => {
    await promote();
    promoted = true;
    return { DBInstance: instance({ replicaOf }).DBInstances[0] };
  });
}

interface ScenarioOptions {
  /** The replica's connection. @default - the standby shared by the tests that promote nothing */
  readonly replica?: ConnectionInfo;
  /** @default 'replaying' */
  readonly replay?: 'replaying' | 'paused';
  /** The instance RDS says the replica follows. @default 'orders' */
  readonly replicaOf?: string;
  /** Who promotes: RDS (faked, promoting the standby), or `pg_promote()` through the local adapter. @default 'rds' */
  readonly promotion?: 'rds' | 'pg_promote';
}

async function scenario(execution: string, options: ScenarioOptions = {}): Promise<Scenario> {
  const replicaDb = options.replica ?? sharedReplica;
  fakeRds(options.replicaOf ?? 'orders', () => query(replicaDb, 'SELECT pg_promote(wait => true)'));
  await new PostgresWriteFreeze(new PostgresSessions(source)).unfreeze();
  await (options.replay === 'paused' ? pauseReplay(replicaDb) : resumeReplay(replicaDb));
  await query(source, 'INSERT INTO orders (total) SELECT i FROM generate_series(1, 100) i');
  const s = new Scenario(readReplicaPlan(), execution);
  const db = s.plan.database;
  if (db.kind === 'rds-read-replica') s.router.addEndpoint(db.endpoint, db.endpoint.blue);
  Object.assign(s.ports, {
    database: async () => {
      const sessions = new PostgresSessions(source);
      const replicaSessions = new PostgresSessions(replicaDb);
      const wal = new WalReplayLag(sessions, replicaSessions);
      const rdsReplica = new RdsReadReplica(new RDSClient({}), wal, {
        replicaInstanceId: 'orders-replica',
        sourceInstanceId: 'orders',
      });
      const local = options.promotion === 'pg_promote';
      return {
        monitor: local ? wal : rdsReplica,
        switch: new PromotionOpeningWrites(
          local ? new StandbyPromotion(replicaSessions) : rdsReplica,
          new PostgresWriteFreeze(replicaSessions),
        ),
        catchUp: local ? wal : rdsReplica,
        freeze: new PostgresWriteFreeze(sessions),
        preflight: (signal?: AbortSignal) => (local ? wal : rdsReplica).preflight(signal),
        close: async () => {
          await Promise.all([sessions.close(), replicaSessions.close()]);
        },
      };
    },
  });
  return s;
}

/** A standby of its own for a test that promotes it (promotion cannot be undone). */
async function withOwnStandby(test: (replica: ConnectionInfo) => Promise<void>): Promise<void> {
  const standby = await startPhysicalStandby(fixture.primary.connection);
  try {
    await test({ ...standby.connection, database: 'shop' });
  } finally {
    await standby.stop();
  }
}

/** A write as the application makes it: a new session, the database's defaults. */
async function writeOrder(db: ConnectionInfo): Promise<void> {
  await query(db, 'INSERT INTO orders (total) VALUES (1)');
}

async function orderCount(db: ConnectionInfo): Promise<string | undefined> {
  const [row] = await query<{ rows: string }>(db, 'SELECT count(*) AS rows FROM orders');
  return row?.rows;
}

function sourceFrozen(): Promise<boolean> {
  return new PostgresWriteFreeze(new PostgresSessions(source)).isFrozen();
}

describe('cutover workflow: RDS read replica, caught up by LSN', () => {
  it('promotes the replica once it has replayed past the source’s position taken after the freeze, and it takes writes', () =>
    withOwnStandby(async (replica) => {
      const s = await scenario('replica-caught-up', { replica });
      const result = await s.run();
      expectCompleted(s, result);
      expect(rds).toReceiveCommandWith(PromoteReadReplicaCommand, { DBInstanceIdentifier: 'orders-replica' });
      expect(s.router.resolveEndpoint(PRIVATE_ZONE, ENDPOINT)).toBe('replica.rds');
      expect(result.states).toContain('CheckCaughtUp');
      // What the source had when it froze is on the replica: it was replayed, not estimated.
      expect(await orderCount(replica)).toBe(await orderCount(source));
      // Blue stays read-only after the switch: a client with the old address cannot split the brain.
      expect(await sourceFrozen()).toBe(true);
      // The promoted replica replayed the freeze too; it was lifted there before the endpoint moved.
      await expect(writeOrder(replica)).resolves.toBeUndefined();
    }));

  it('rolls back, unfreezing the source and promoting nothing, when the replica’s replay stops short of that position', async () => {
    const s = await scenario('replica-lagging', { replay: 'paused' });
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
    await expect(writeOrder(source)).resolves.toBeUndefined();
    expectInvariants(s, result);
  });

  it('stops at preflight, before any change, when the replica follows another instance', async () => {
    const s = await scenario('replica-wrong-source', { replicaOf: 'billing' });
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

describe('cutover workflow: a read replica promoted by pg_promote() (local, no RDS)', () => {
  it('requests the promotion, polls until the standby leaves recovery, then moves the endpoint to a writable replica', () =>
    withOwnStandby(async (replica) => {
      const s = await scenario('replica-promoted-locally', { replica, promotion: 'pg_promote' });
      const result = await s.run();
      expectCompleted(s, result);
      // Requested by one Task, finished by polling: the switch state ran more than once.
      expect(result.states).toContain('CheckSwitch');
      const [standby] = await query<{ recovery: boolean }>(replica, 'SELECT pg_is_in_recovery() AS recovery');
      expect(standby?.recovery).toBe(false);
      expect(s.router.resolveEndpoint(PRIVATE_ZONE, ENDPOINT)).toBe('replica.rds');
      expect(await orderCount(replica)).toBe(await orderCount(source));
      expect(await sourceFrozen()).toBe(true);
      await expect(writeOrder(replica)).resolves.toBeUndefined();
      expect(rds).toReceiveCommandTimes(PromoteReadReplicaCommand, 0);
      expectInvariants(s, result);
    }));

  it('stops at preflight, before any change, when the replica’s connection reaches a primary', async () => {
    const s = await scenario('replica-is-a-primary', { replica: source, promotion: 'pg_promote' });
    const result = await s.run();
    expect(result).toMatchObject({ status: 'FAILED', error: 'CutoverStopped' });
    expect(result.cause).toContain(
      'preflight: PreflightFailed: database.replica: its connection reaches a server that is not replaying WAL',
    );
    expect(s.weightHistory).toEqual([]);
    expect(await sourceFrozen()).toBe(false);
    expectInvariants(s, result);
  });
});
