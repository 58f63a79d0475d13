import { Client } from 'pg';
import type { ConnectionInfo } from './postgres-pair';

/** Runs one statement on a local server over a short-lived connection. */
export async function runSql(connection: ConnectionInfo, text: string): Promise<void> {
  const client = new Client(connection);
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
