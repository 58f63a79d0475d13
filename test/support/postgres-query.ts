import { Client, type ClientConfig, type QueryResultRow } from 'pg';

/** Runs one statement on a fresh connection and returns the rows. */
export async function query<R extends QueryResultRow = QueryResultRow>(
  connection: ClientConfig,
  text: string,
  values: readonly unknown[] = [],
): Promise<R[]> {
  const client = new Client(connection);
  await client.connect();
  try {
    return (await client.query<R>(text, [...values])).rows;
  } finally {
    await client.end();
  }
}

/** An open session, for tests about what happens to sessions that already exist. */
export async function openSession(connection: ClientConfig): Promise<Client> {
  const client = new Client(connection);
  // The server may end this session on purpose (write freeze); the failure surfaces through the next query.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
