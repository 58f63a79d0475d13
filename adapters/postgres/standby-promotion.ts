import { CutoverError, ErrorNames } from '../../domain/errors';
import type { DatabaseSwitch, SwitchProgress } from '../../ports/database';
import type { PostgresSessions } from './postgres-sessions';

/**
 * Promotes a physical standby with `pg_promote()`: requested once without waiting (like RDS's
 * PromoteReadReplica, so the state machine polls), then done once the server has left recovery.
 */
export class StandbyPromotion implements DatabaseSwitch {
  constructor(private readonly standby: PostgresSessions) {}

  switchOver(previous: SwitchProgress | undefined, signal?: AbortSignal): Promise<SwitchProgress> {
    return this.standby.run(signal, async (db) => {
      const [row] = await db.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery');
      if (!row?.recovery) return { done: true, status: 'promoted' };
      if (previous !== undefined) return { done: false, status: 'promoting' };
      const [asked] = await db.query<{ signalled: boolean }>('SELECT pg_promote(wait => false) AS signalled');
      if (!asked?.signalled) {
        throw new CutoverError(ErrorNames.SwitchoverFailed, 'the standby could not be signalled to promote');
      }
      return { done: false, status: 'promotion requested' };
    });
  }
}
