/**
 * The LSN comparison against a real primary and a real physical streaming standby of it
 * (local/physical-standby.ts): replay is paused and resumed with PostgreSQL's own controls, and promotion
 * is `pg_promote()`.
 */
import { PostgresSessions } from '../../../adapters/postgres/postgres-sessions';
import { WalReplayLag } from '../../../adapters/postgres/wal-replay-lag';
import { startPhysicalStandby } from '../../../local/physical-standby';
import { eventually } from '../../support/eventually';
import { query } from '../../support/postgres-query';
import { pauseReplay, resumeReplay } from '../../support/standby-replay';
import {
  startStreamingReplica,
  stopStreamingReplica,
  type StreamingReplica,
} from '../../support/streaming-replica';

let fixture: StreamingReplica;
let source: PostgresSessions;
let replica: PostgresSessions;
let wal: WalReplayLag;

beforeAll(async () => {
  fixture = await startStreamingReplica();
  source = new PostgresSessions(fixture.source);
  replica = new PostgresSessions(fixture.replica);
  wal = new WalReplayLag(source, replica);
}, 90_000);

afterEach(() => resumeReplay(fixture.replica));

afterAll(async () => {
  await Promise.all([source?.close(), replica?.close()]);
  await stopStreamingReplica(fixture);
});

const NOT_REPLAYING =
  'database.replica: its connection reaches a server that is not replaying WAL (a primary, or a replica already promoted); name the read replica’s connection';

async function write(rows: number): Promise<void> {
  await query(fixture.source, 'INSERT INTO orders (total) SELECT i FROM generate_series(1, $1) i', [rows]);
}

async function bytesBetween(to: string, from: string): Promise<number> {
  const [row] = await query<{ bytes: number }>(
    fixture.source,
    'SELECT pg_wal_lsn_diff($1, $2)::float8 AS bytes',
    [to, from],
  );
  return row?.bytes ?? Number.NaN;
}

describe('WalReplayLag against a streaming standby', () => {
  it('reads the source’s WAL position, which moves forward with writes', async () => {
    const before = await wal.sourcePosition();
    await write(1000);
    const after = await wal.sourcePosition();
    expect(before).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(await bytesBetween(after, before)).toBeGreaterThan(1000);
  });

  it('is caught up (0 bytes, streaming) once the standby has replayed past the position taken after a write', async () => {
    await write(100);
    const frozenAt = await wal.sourcePosition();
    await eventually(async () =>
      expect(await wal.lagBehind(frozenAt)).toEqual({ amount: 0, unit: 'bytes', streaming: true }),
    );
    // The rows themselves are on the standby.
    const [row] = await query<{ rows: string }>(fixture.replica, 'SELECT count(*) AS rows FROM orders');
    const [onPrimary] = await query<{ rows: string }>(fixture.source, 'SELECT count(*) AS rows FROM orders');
    expect(row?.rows).toBe(onPrimary?.rows);
  });

  it('reports the bytes a standby with replay paused trails by; they grow with writes and go once it resumes', async () => {
    await pauseReplay(fixture.replica);
    await write(500);
    const first = await wal.lag();
    await write(500);
    const second = await wal.lag();
    expect(first).toMatchObject({ unit: 'bytes', streaming: true });
    expect(first.amount).toBeGreaterThan(500);
    expect(second.amount).toBeGreaterThan(first.amount);

    const last = await wal.sourcePosition();
    await resumeReplay(fixture.replica);
    await eventually(async () =>
      expect(await wal.lagBehind(last)).toMatchObject({ amount: 0, streaming: true }),
    );
  });

  it('matches PostgreSQL’s own pg_wal_lsn_diff between the source’s position and the standby’s replay position', async () => {
    await pauseReplay(fixture.replica);
    const [{ replayed }] = (await query(
      fixture.replica,
      'SELECT pg_last_wal_replay_lsn()::text AS replayed',
    )) as [{ replayed: string }];
    await write(200);
    const position = await wal.sourcePosition();
    await expect(wal.lagBehind(position)).resolves.toEqual({
      amount: await bytesBetween(position, replayed),
      unit: 'bytes',
      streaming: true,
    });
  });

  it('is not replaying once the standby is promoted, nor on a primary', async () => {
    const promoted = await startPhysicalStandby(fixture.primary.connection);
    const promotedSessions = new PostgresSessions({ ...promoted.connection, database: 'shop' });
    try {
      const before = new WalReplayLag(source, promotedSessions);
      await expect(before.lag()).resolves.toMatchObject({ streaming: true });
      await query(promoted.connection, 'SELECT pg_promote(wait => true)');
      await expect(before.lag()).resolves.toEqual({ amount: 0, unit: 'bytes', streaming: false });
      await expect(before.preflight()).resolves.toEqual([NOT_REPLAYING]);
    } finally {
      await promotedSessions.close();
      await promoted.stop();
    }
    const primaryAsReplica = new WalReplayLag(source, source);
    await expect(primaryAsReplica.lag()).resolves.toMatchObject({ streaming: false });
  });

  describe('preflight: the replica’s connection reaches a standby of the source', () => {
    it('accepts the source’s own standby', async () => {
      await expect(wal.preflight()).resolves.toEqual([]);
    });

    it('refuses a connection that reaches a primary (here the source itself)', async () => {
      await expect(new WalReplayLag(source, source).preflight()).resolves.toEqual([NOT_REPLAYING]);
    });

    it('checks only that it reaches a standby where pg_control_system() is not granted', async () => {
      await query(
        fixture.source,
        `CREATE ROLE monitor LOGIN PASSWORD 'monitor-Jx4r';
         REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC`,
      );
      // The role reaches the standby by replay: connecting as it before then fails authentication.
      const created = await wal.sourcePosition();
      await eventually(async () => expect(await wal.lagBehind(created)).toMatchObject({ amount: 0 }));
      const as = (connection: typeof fixture.source) =>
        new PostgresSessions({ ...connection, user: 'monitor', password: 'monitor-Jx4r' });
      const [limitedSource, limitedReplica] = [as(fixture.source), as(fixture.replica)];
      try {
        await expect(
          query(
            { ...fixture.source, user: 'monitor', password: 'monitor-Jx4r' },
            'SELECT pg_control_system()',
          ),
        ).rejects.toThrow(/permission denied/);
        await expect(new WalReplayLag(limitedSource, limitedReplica).preflight()).resolves.toEqual([]);
        await expect(new WalReplayLag(limitedSource, limitedSource).preflight()).resolves.toEqual([
          NOT_REPLAYING,
        ]);
      } finally {
        await Promise.all([limitedSource.close(), limitedReplica.close()]);
        await query(
          fixture.source,
          'GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC; DROP ROLE monitor',
        );
      }
    });

    it('refuses a standby of another cluster, naming both system identifiers', async () => {
      const other = await startStreamingReplica();
      const otherReplica = new PostgresSessions(other.replica);
      try {
        const [problem, ...more] = await new WalReplayLag(source, otherReplica).preflight();
        expect(more).toEqual([]);
        expect(problem).toMatch(
          /^database\.replica: its connection reaches a standby of another database cluster \(system identifier (\d+); the source’s is (?!\1)\d+\); name a read replica of the source$/,
        );
      } finally {
        await otherReplica.close();
        await stopStreamingReplica(other);
      }
    });
  });
});
