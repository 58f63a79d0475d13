import { Client, type ClientConfig, type QueryResultRow } from './pg';

/** One connection, used for one operation; checks the abort signal before each query. */
export class PostgresSession {
  constructor(
    private readonly client: Client,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async query<R extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<R[]> {
    this.signal?.throwIfAborted();
    const result = await this.client.query<R>(text, [...values]);
    return result.rows;
  }
}

/**
 * Opens a short-lived connection per operation: cutover steps run minutes apart (often in different
 * Lambda invocations), and the write freeze terminates idle sessions, so a pool would mostly hold dead ones.
 */
export class PostgresSessions {
  private readonly config: ClientConfig;
  private readonly open = new Set<Client>();
  private closed = false;

  constructor(config: ClientConfig) {
    this.config = { application_name: 'cutover', ...config };
  }

  async run<T>(signal: AbortSignal | undefined, work: (session: PostgresSession) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the PostgreSQL connections were closed');
    signal?.throwIfAborted();
    const client = new Client(this.config);
    // A connection lost while idle is reported by the next query; without a listener it would crash the process.
    client.on('error', () => undefined);
    this.open.add(client);
    try {
      await client.connect();
      return await work(new PostgresSession(client, signal));
    } finally {
      this.open.delete(client);
      await client.end().catch(() => undefined);
    }
  }

  /** Ends the connections still open; later operations fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.open].map((client) => client.end().catch(() => undefined)));
    this.open.clear();
  }
}
