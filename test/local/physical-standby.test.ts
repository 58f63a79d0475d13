import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { freePorts } from '../../local/free-ports';
import { startPhysicalStandby } from '../../local/physical-standby';
import { startPostgresServer, type RunningServer } from '../../local/postgres-pair';
import { query } from '../support/postgres-query';

let primary: RunningServer;

beforeAll(async () => {
  const [port] = (await freePorts(1)) as [number];
  // A limit a standby must match (PostgreSQL refuses to replay with fewer connections than its primary).
  primary = await startPostgresServer('blue', port, randomBytes(12).toString('base64url'), {
    postgresFlags: ['-c', 'max_connections=150'],
  });
}, 90_000);

afterAll(() => primary?.stop());

async function slots(): Promise<string[]> {
  const rows = await query<{ slot_name: string }>(
    primary.connection,
    'SELECT slot_name FROM pg_replication_slots',
  );
  return rows.map((row) => row.slot_name);
}

async function dataDirectory(connection: RunningServer['connection']): Promise<string> {
  const [row] = await query<{ dir: string }>(connection, "SELECT current_setting('data_directory') AS dir");
  return row?.dir ?? '';
}

describe('a physical standby of a local primary', () => {
  it('streams from its primary through a slot, with its primary’s limits, and leaves nothing behind when stopped', async () => {
    const standby = await startPhysicalStandby(primary.connection);
    let dataDir: string;
    try {
      const [receiver] = await query<{ status: string; slot: string }>(
        standby.connection,
        'SELECT status, slot_name AS slot FROM pg_stat_wal_receiver',
      );
      expect(receiver).toEqual({ status: 'streaming', slot: `cutover_standby_${standby.connection.port}` });
      const [settings] = await query<{ recovery: boolean; connections: string }>(
        standby.connection,
        "SELECT pg_is_in_recovery() AS recovery, current_setting('max_connections') AS connections",
      );
      expect(settings).toEqual({ recovery: true, connections: '150' });
      await expect(query(standby.connection, 'CREATE TABLE refused (id int)')).rejects.toThrow(
        /read-only transaction/,
      );
      expect(await slots()).toEqual([`cutover_standby_${standby.connection.port}`]);
      dataDir = await dataDirectory(standby.connection);
      expect(dataDir).not.toBe(await dataDirectory(primary.connection));
    } finally {
      await standby.stop();
    }
    expect(existsSync(dataDir)).toBe(false);
    expect(await slots()).toEqual([]);
    await expect(standby.stop()).resolves.toBeUndefined();
  });

  it('fails in one line naming the cause when the primary refuses replication connections, and cleans up', async () => {
    const [{ hba }] = (await query(primary.connection, "SELECT current_setting('hba_file') AS hba")) as [
      { hba: string },
    ];
    const original = await readFile(hba, 'utf8');
    const withoutReplication = original
      .split('\n')
      .filter((line) => !/^\s*(local|host)\s+replication\s/.test(line))
      .join('\n');
    await writeFile(hba, withoutReplication);
    await query(primary.connection, 'SELECT pg_reload_conf()');
    try {
      const started = startPhysicalStandby(primary.connection, { streamingTimeoutMs: 2000 });
      await expect(started).rejects.toThrow(
        /^PostgreSQL \(standby\) on port \d+ did not stream from port \d+ within 2 s \(WAL receiver: [a-z ]+\); last error: .*no pg_hba\.conf entry for replication connection.*; check that the primary allows replication connections from 127\.0\.0\.1 in pg_hba\.conf$/,
      );
    } finally {
      await writeFile(hba, original);
      await query(primary.connection, 'SELECT pg_reload_conf()');
    }
    expect(await slots()).toEqual([]);
  });
});
