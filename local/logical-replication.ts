import { setTimeout as sleep } from 'node:timers/promises';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import type { ConnectionInfo } from './postgres-pair';

export interface LogicalReplicationProps {
  readonly blue: ConnectionInfo;
  readonly green: ConnectionInfo;
  /** Created on both servers. */
  readonly database: string;
  readonly publication: string;
  readonly subscription: string;
  /** DDL run on both servers before replication starts, e.g. `CREATE TABLE orders (...)`. */
  readonly schema: string;
  /** Tables the publication carries, as `table` or `schema.table`. */
  readonly tables: readonly string[];
  /**
   * SQL run on blue before the subscription exists; the initial table sync copies it to green.
   * @default - none
   */
  readonly seed?: string;
  /**
   * How long to wait for the initial table sync.
   * @default 30000
   */
  readonly syncTimeoutMs?: number;
}

export interface ReplicatedDatabase {
  readonly blue: ConnectionInfo;
  readonly green: ConnectionInfo;
}

/**
 * Creates `database` with the same schema on both servers, publishes `tables` on blue, subscribes green
 * to it (copying existing rows), and returns once every table has finished its initial sync.
 */
export async function setUpLogicalReplication(props: LogicalReplicationProps): Promise<ReplicatedDatabase> {
  const blue = { ...props.blue, database: props.database };
  const green = { ...props.green, database: props.database };
  for (const server of [props.blue, props.green]) {
    await withClient(server, (client) => client.query(`CREATE DATABASE ${escapeIdentifier(props.database)}`));
  }
  await withClient(blue, async (client) => {
    await client.query(props.schema);
    if (props.seed !== undefined) await client.query(props.seed);
    const tables = props.tables.map(quoteQualified).join(', ');
    await client.query(`CREATE PUBLICATION ${escapeIdentifier(props.publication)} FOR TABLE ${tables}`);
  });
  await withClient(green, async (client) => {
    await client.query(props.schema);
    // CREATE SUBSCRIPTION takes no parameters: the connection string is passed as a quoted literal.
    const connection = conninfo({ ...blue, host: '127.0.0.1' });
    await client.query(
      `CREATE SUBSCRIPTION ${escapeIdentifier(props.subscription)} CONNECTION ${escapeLiteral(connection)} ` +
        `PUBLICATION ${escapeIdentifier(props.publication)} WITH (copy_data = true)`,
    );
    await waitForInitialSync(client, props.subscription, props.tables.length, props.syncTimeoutMs ?? 30_000);
  });
  return { blue, green };
}

async function waitForInitialSync(
  client: Client,
  subscription: string,
  tableCount: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ table: string; state: string }>(
      `SELECT r.srrelid::regclass::text AS table, r.srsubstate AS state
         FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
        WHERE s.subname = $1`,
      [subscription],
    );
    // 'r' = ready: the copy is done and the table follows the stream.
    if (rows.length === tableCount && rows.every((row) => row.state === 'r')) return;
    if (Date.now() > deadline) {
      const states = rows.map((row) => `${row.table}=${row.state}`).join(', ') || 'no tables yet';
      throw new Error(
        `subscription ${subscription} did not finish its initial sync in ${timeoutMs} ms (${states})`,
      );
    }
    await sleep(100);
  }
}

async function withClient<T>(connection: ConnectionInfo, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(connection);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quoteQualified(name: string): string {
  return name.split('.').map(escapeIdentifier).join('.');
}

/** A libpq connection string; values are quoted so spaces, quotes and backslashes survive. */
function conninfo(connection: ConnectionInfo): string {
  const quote = (value: string | number): string => `'${String(value).replace(/[\\']/g, '\\$&')}'`;
  return [
    `host=${quote(connection.host)}`,
    `port=${quote(connection.port)}`,
    `user=${quote(connection.user)}`,
    `password=${quote(connection.password)}`,
    `dbname=${quote(connection.database)}`,
  ].join(' ');
}
