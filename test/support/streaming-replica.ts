import { randomBytes } from 'node:crypto';
import { freePorts } from '../../local/free-ports';
import { startPhysicalStandby, type PhysicalStandby } from '../../local/physical-standby';
import { startPostgresServer, type ConnectionInfo, type RunningServer } from '../../local/postgres-pair';
import { query } from './postgres-query';

export interface StreamingReplica {
  readonly primary: RunningServer;
  readonly standby: PhysicalStandby;
  /** The `shop` database on the primary, with an `orders` table. */
  readonly source: ConnectionInfo;
  /** The same database on the standby. */
  readonly replica: ConnectionInfo;
}

/** A real primary with a `shop` database and a physical streaming standby of it; `stopStreamingReplica` from afterAll. */
export async function startStreamingReplica(): Promise<StreamingReplica> {
  const [port] = (await freePorts(1)) as [number];
  const primary = await startPostgresServer('blue', port, randomBytes(12).toString('base64url'), {});
  try {
    await query(primary.connection, 'CREATE DATABASE shop');
    const source = { ...primary.connection, database: 'shop' };
    await query(source, 'CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric NOT NULL)');
    const standby = await startPhysicalStandby(primary.connection);
    return { primary, standby, source, replica: { ...standby.connection, database: 'shop' } };
  } catch (error) {
    await primary.stop();
    throw error;
  }
}

/** Stops the standby, then its primary (nothing when `startStreamingReplica` failed: it cleaned up). */
export async function stopStreamingReplica(fixture: StreamingReplica | undefined): Promise<void> {
  await fixture?.standby.stop();
  await fixture?.primary.stop();
}
