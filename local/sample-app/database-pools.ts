import { Pool } from 'pg';
import type { ConnectionInfo } from '../postgres-pair';

const CONNECT_TIMEOUT_MS = 3000;
const RETIRE_CHECK_MS = 50;

/** One small pg Pool per database target; the pool of a database the name left is retired. */
export class DatabasePools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly maxConnections: number) {}

  for(target: ConnectionInfo): Pool {
    const key = keyOf(target);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool({
        ...target,
        max: this.maxConnections,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        // Connections stay open while a side sees no traffic (green before the first shift), so its
        // first requests do not wait for connections to be opened.
        idleTimeoutMillis: 0,
        application_name: 'cutover-sample-app',
      });
      // An idle connection the server terminated (write freeze) is reported here; the pool drops it.
      pool.on('error', () => undefined);
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Opens the pool's connections ahead of the first requests; best effort. */
  async warm(target: ConnectionInfo): Promise<void> {
    const pool = this.for(target);
    // Asked for all at once, an empty pool opens that many connections; each is idle again at once.
    const connecting = Array.from({ length: this.maxConnections }, () =>
      pool.connect().then((client) => client.release()),
    );
    await Promise.allSettled(connecting);
  }

  /** New queries to `target` get a fresh pool; the old one ends once its queued queries have left. */
  drop(target: ConnectionInfo): void {
    const key = keyOf(target);
    const pool = this.pools.get(key);
    if (!pool) return;
    this.pools.delete(key);
    retire(pool);
  }
}

/**
 * pg-pool never serves queries still queued when `end()` is called: wait for them to get a connection
 * (they then fail on the old database and retry through the new pool).
 */
function retire(pool: Pool): void {
  const check = (): void => {
    if (pool.waitingCount > 0) return;
    clearInterval(timer);
    pool.end().catch(() => undefined);
  };
  const timer = setInterval(check, RETIRE_CHECK_MS);
  check();
}

function keyOf(target: ConnectionInfo): string {
  return `${target.user}@${target.host}:${target.port}/${target.database}`;
}
