import { DatabaseError, type Pool, type QueryResultRow } from 'pg';

/**
 * One statement on a pooled connection. Unlike `pool.query`, which closes the connection after any
 * error, this keeps it when only the statement failed (a write refused by a frozen database): during a
 * freeze every retried write would otherwise open a new connection, and the reconnect storm stalls
 * every other query too.
 */
export async function pooledQuery<R extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: readonly unknown[],
): Promise<R[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client reports a connection lost between queries as an 'error' event, which would
  // crash the process without a listener (pool.query attaches one; pool.connect does not).
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return (await client.query<R>(text, [...values])).rows;
  } catch (error) {
    if (!statementOnly(error)) broken ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** An error the server reported about the statement, on a session it keeps open. */
function statementOnly(error: unknown): boolean {
  if (!(error instanceof DatabaseError)) return false;
  // Class 57 (operator intervention: the session was terminated) and 08 (connection exception).
  return !(error.code?.startsWith('57') || error.code?.startsWith('08'));
}
