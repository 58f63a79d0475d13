import type { ClientConfig } from 'pg';
import { eventually } from './eventually';
import { query } from './postgres-query';

/** Pauses WAL replay on a standby and waits until it has stopped (a pause is only requested at first). */
export async function pauseReplay(standby: ClientConfig): Promise<void> {
  await query(standby, 'SELECT pg_wal_replay_pause()');
  await eventually(async () => {
    const [row] = await query<{ state: string }>(standby, 'SELECT pg_get_wal_replay_pause_state() AS state');
    if (row?.state !== 'paused')
      throw new Error(`replay is ${row?.state ?? 'in an unknown state'}, not paused`);
  });
}

/** Resumes WAL replay; nothing on a server out of recovery (a promoted standby). */
export async function resumeReplay(standby: ClientConfig): Promise<void> {
  await query(standby, 'SELECT pg_wal_replay_resume() WHERE pg_is_in_recovery()');
}
