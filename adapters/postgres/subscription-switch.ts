import { escapeIdentifier } from './pg';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { DatabaseSwitch } from '../../ports/database';
import type { PostgresSessions } from './postgres-sessions';

/** Detaches the target from the source by disabling its subscription, so it stops following the source. */
export class PostgresSubscriptionSwitch implements DatabaseSwitch {
  constructor(
    private readonly target: PostgresSessions,
    private readonly subscription: string,
  ) {}

  switchOver(signal?: AbortSignal): Promise<void> {
    return this.target.run(signal, async (db) => {
      const [subscription] = await db.query<{ enabled: boolean }>(
        `SELECT subenabled AS enabled
           FROM pg_subscription
          WHERE subname = $1 AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [this.subscription],
      );
      if (!subscription) {
        throw new CutoverError(
          ErrorNames.SwitchoverFailed,
          `subscription ${this.subscription} does not exist in the target database`,
        );
      }
      if (subscription.enabled) {
        await db.query(`ALTER SUBSCRIPTION ${escapeIdentifier(this.subscription)} DISABLE`);
      }
    });
  }
}
