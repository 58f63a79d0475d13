/**
 * Promotion of a real physical streaming standby (local/physical-standby.ts) with `pg_promote()`, and the
 * write freeze a promoted replica inherits from its source, lifted once the promotion is done.
 */
import { PostgresSessions } from '../../../adapters/postgres/postgres-sessions';
import { PromotionOpeningWrites } from '../../../adapters/postgres/promotion-opening-writes';
import { StandbyPromotion } from '../../../adapters/postgres/standby-promotion';
import { PostgresWriteFreeze } from '../../../adapters/postgres/write-freeze';
import type { DatabaseSwitch, SwitchProgress } from '../../../ports/database';
import type { ConnectionInfo } from '../../../local/postgres-pair';
import { eventually } from '../../support/eventually';
import { openSession, query } from '../../support/postgres-query';
import {
  startStreamingReplica,
  stopStreamingReplica,
  type StreamingReplica,
} from '../../support/streaming-replica';

let fixture: StreamingReplica;
let source: ConnectionInfo;
let replica: ConnectionInfo;
const closing: PostgresSessions[] = [];

beforeAll(async () => {
  fixture = await startStreamingReplica();
  ({ source, replica } = fixture);
}, 90_000);

afterAll(async () => {
  await Promise.all(closing.map((sessions) => sessions.close()));
  await stopStreamingReplica(fixture);
});

function sessions(connection: ConnectionInfo): PostgresSessions {
  const opened = new PostgresSessions(connection);
  closing.push(opened);
  return opened;
}

async function inRecovery(connection: ConnectionInfo): Promise<boolean | undefined> {
  const [row] = await query<{ recovery: boolean }>(connection, 'SELECT pg_is_in_recovery() AS recovery');
  return row?.recovery;
}

/** Polls as the state machine does: each call is given what the previous one reported. */
async function promoteUntilDone(promotion: DatabaseSwitch): Promise<SwitchProgress[]> {
  const reports = [await promotion.switchOver(undefined)];
  await eventually(async () => {
    const report = await promotion.switchOver(reports.at(-1));
    reports.push(report);
    if (!report.done) throw new Error(`still ${report.status}`);
  });
  return reports;
}

describe('StandbyPromotion', () => {
  it('is done at once on a server that is not a standby, requesting nothing', async () => {
    await expect(new StandbyPromotion(sessions(source)).switchOver(undefined)).resolves.toEqual({
      done: true,
      status: 'promoted',
    });
    expect(await inRecovery(source)).toBe(false);
  });

  it('requests the promotion once without waiting, then reports promoted once the standby has left recovery', async () => {
    // The source froze before the promotion: the replica replays that too.
    await new PostgresWriteFreeze(sessions(source)).freeze();
    const [{ lsn }] = (await query(source, 'SELECT pg_current_wal_lsn()::text AS lsn')) as [{ lsn: string }];
    await eventually(async () => {
      const [row] = await query<{ behind: number }>(
        replica,
        'SELECT pg_wal_lsn_diff($1, pg_last_wal_replay_lsn())::float8 AS behind',
        [lsn],
      );
      expect(row?.behind).toBeLessThanOrEqual(0);
    });
    const readOnlySession = await openSession(replica);
    const writes = new PostgresWriteFreeze(sessions(replica));
    expect(await writes.isFrozen()).toBe(true);

    // Lifting the freeze while the replica is still in recovery would fail (a standby refuses read-write
    // sessions), so this also proves it waits for the promotion to be done.
    const reports = await promoteUntilDone(
      new PromotionOpeningWrites(new StandbyPromotion(sessions(replica)), writes),
    );

    expect(reports[0]).toEqual({ done: false, status: 'promotion requested' });
    expect(reports.slice(1, -1).every((report) => report.status === 'promoting')).toBe(true);
    expect(reports.at(-1)).toEqual({ done: true, status: 'promoted' });
    expect(await inRecovery(replica)).toBe(false);
    // The inherited freeze is lifted on the promoted replica, and the session opened during it is ended
    // (it would stay read-only); the source stays frozen.
    expect(await writes.isFrozen()).toBe(false);
    await expect(query(replica, 'INSERT INTO orders (total) VALUES (1)')).resolves.toEqual([]);
    await expect(readOnlySession.query('SELECT 1')).rejects.toThrow();
    expect(await new PostgresWriteFreeze(sessions(source)).isFrozen()).toBe(true);
  });
});
