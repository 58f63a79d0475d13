import { VERIFICATION_SLOT_PREFIX } from '../../domain/verification/change-stream';
import type { VerificationSlots } from '../../ports/database';
import { ChangeSlot } from './change-slot';
import type { PostgresSessions } from './postgres-sessions';

/** The verification passes' slots in the source's database (see DataVerifier), dropped on every exit path. */
export class PostgresVerificationSlots implements VerificationSlots {
  constructor(private readonly source: PostgresSessions) {}

  dropSlot(slot: string, signal?: AbortSignal): Promise<'dropped' | 'absent'> {
    return this.source.run(signal, (db) => new ChangeSlot(db, slot).drop());
  }

  /**
   * `active` is false while no session decodes from a slot: between two invocations of a pass too, so
   * only a caller that holds the database's lock (preflight) may drop them all; others give `idleSeconds`.
   * How long a slot has been idle is known from PostgreSQL 17 (`inactive_since`); before that, such a
   * caller drops none.
   */
  dropLeftoverSlots(
    options: { readonly except?: string; readonly idleSeconds?: number },
    signal?: AbortSignal,
  ): Promise<string[]> {
    return this.source.run(signal, async (db) => {
      const rows = await db.query<{ name: string }>(
        `SELECT slot_name AS name, pg_drop_replication_slot(slot_name)
           FROM pg_replication_slots s
          WHERE database = current_database() AND slot_type = 'logical' AND NOT active
            AND starts_with(slot_name, $1) AND slot_name <> coalesce($2, '')
            AND ($3::float8 IS NULL
                 OR (to_jsonb(s) ->> 'inactive_since')::timestamptz < now() - make_interval(secs => $3::float8))`,
        [VERIFICATION_SLOT_PREFIX, options.except ?? null, options.idleSeconds ?? null],
      );
      return rows.map((row) => row.name);
    });
  }
}
