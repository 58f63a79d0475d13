/**
 * The LSN comparison against a real PostgreSQL server: the source's WAL position is real, and so are
 * `pg_lsn` and `pg_wal_lsn_diff`; the replica's replay position is played by a standby double on the
 * same server (see test/support/standby-double.ts for why and how).
 */
import { randomBytes } from 'node:crypto';
import { PostgresSessions } from '../../../adapters/postgres/postgres-sessions';
import { WalReplayLag } from '../../../adapters/postgres/wal-replay-lag';
import { freePorts } from '../../../local/free-ports';
import { startPostgresServer, type RunningServer } from '../../../local/postgres-pair';
import { query } from '../../support/postgres-query';
import { createStandbyDouble, type StandbyDouble } from '../../support/standby-double';

let server: RunningServer;
let standby: StandbyDouble;
let source: PostgresSessions;
let replica: PostgresSessions;
let wal: WalReplayLag;

beforeAll(async () => {
  const [port] = (await freePorts(1)) as [number];
  server = await startPostgresServer('blue', port, randomBytes(12).toString('base64url'), {});
  await query(server.connection, 'CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric NOT NULL)');
  standby = await createStandbyDouble(server.connection, 'replica');
  source = new PostgresSessions(server.connection);
  replica = new PostgresSessions(standby.connection);
  wal = new WalReplayLag(source, replica);
}, 90_000);

afterAll(async () => {
  await Promise.all([source?.close(), replica?.close()]);
  await server?.stop();
});

async function write(rows: number): Promise<void> {
  await query(server.connection, 'INSERT INTO orders (total) SELECT i FROM generate_series(1, $1) i', [rows]);
}

describe('WalReplayLag', () => {
  it('reads the source’s WAL position, which moves forward with writes', async () => {
    const before = await wal.sourcePosition();
    await write(1000);
    const after = await wal.sourcePosition();
    expect(before).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const [{ bytes }] = (await query(server.connection, 'SELECT pg_wal_lsn_diff($1, $2)::int AS bytes', [
      after,
      before,
    ])) as [{ bytes: number }];
    expect(bytes).toBeGreaterThan(1000);
  });

  it('is caught up (0 bytes) once the replica has replayed past the position taken after the freeze', async () => {
    await standby.set('following');
    await write(100);
    const frozenAt = await wal.sourcePosition();
    await expect(wal.lagBehind(frozenAt)).resolves.toEqual({ amount: 0, unit: 'bytes', streaming: true });
  });

  it('reports the bytes a replica that stopped replaying trails by, and they grow with writes', async () => {
    await standby.set('stuck');
    await write(500);
    const first = await wal.lag();
    await write(500);
    const second = await wal.lag();
    expect(first).toMatchObject({ unit: 'bytes', streaming: true });
    expect(first.amount).toBeGreaterThan(500);
    expect(second.amount).toBeGreaterThan(first.amount);
  });

  it('matches PostgreSQL’s own pg_wal_lsn_diff between the two positions', async () => {
    await standby.set('stuck');
    const [{ stuck }] = (await query(
      standby.connection,
      'SELECT pg_last_wal_replay_lsn()::text AS stuck',
    )) as [{ stuck: string }];
    await write(200);
    const position = await wal.sourcePosition();
    const [{ bytes }] = (await query(server.connection, 'SELECT pg_wal_lsn_diff($1, $2)::float8 AS bytes', [
      position,
      stuck,
    ])) as [{ bytes: number }];
    await expect(wal.lagBehind(position)).resolves.toEqual({ amount: bytes, unit: 'bytes', streaming: true });
  });

  it('is not replaying on a server out of recovery (a promoted replica, or no replica at all)', async () => {
    await standby.set('promoted');
    await expect(wal.lag()).resolves.toEqual({ amount: 0, unit: 'bytes', streaming: false });
    // The real functions, on the source itself: a primary has no replay position either.
    const primaryAsReplica = new WalReplayLag(source, source);
    await expect(primaryAsReplica.lag()).resolves.toMatchObject({ streaming: false });
  });
});
