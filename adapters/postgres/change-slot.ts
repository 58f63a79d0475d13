import { CutoverError, ErrorNames } from '../../domain/errors';
import type { PostgresSession } from './postgres-sessions';

/** Decoded messages fetched per round trip: the server keeps the rest (spilling to disk), not the function. */
const FETCH_ROWS = 5000;

/**
 * The pass's logical-decoding slot on the source, read through the SQL interface with the built-in
 * `pgoutput` plugin (no extension to install; it decodes only what the publication publishes).
 */
export class ChangeSlot {
  constructor(
    private readonly db: PostgresSession,
    readonly name: string,
  ) {}

  /**
   * Creates the slot, or finds it when a retried invocation created it already, and returns the WAL
   * position from which it decodes. Creating it waits for the transactions running on the source to end
   * (each change they make could be missed otherwise); it gives up after `timeoutMs`, naming the oldest.
   */
  async open(timeoutMs: number): Promise<string> {
    const existing = await this.position();
    if (existing) return existing;
    await this.db.query(`SELECT set_config('statement_timeout', $1, false)`, [`${Math.max(1, timeoutMs)}ms`]);
    try {
      const [created] = await this.db.query<{ lsn: string }>(
        `SELECT lsn::text FROM pg_create_logical_replication_slot($1, 'pgoutput')`,
        [this.name],
      );
      if (!created) throw new Error(`creating slot ${this.name} returned no position`);
      return created.lsn;
    } catch (error) {
      if (pgCode(error) === '42710') return (await this.position()) ?? Promise.reject(error);
      if (pgCode(error) === '57014') throw await this.blockedCreation(timeoutMs);
      throw error;
    } finally {
      await this.db.query('RESET statement_timeout');
    }
  }

  /** The position the slot decodes from, or null when there is no such slot. */
  async position(): Promise<string | null> {
    const [slot] = await this.db.query<{ lsn: string }>(
      `SELECT confirmed_flush_lsn::text AS lsn
         FROM pg_replication_slots
        WHERE slot_name = $1 AND database = current_database()`,
      [this.name],
    );
    return slot?.lsn ?? null;
  }

  /**
   * Moves the slot on to `lsn` (the end of what the caller has compared, as an earlier invocation
   * returned it), so that later changes are decoded from there and the WAL before it can be recycled.
   */
  async moveTo(lsn: string): Promise<void> {
    const position = await this.position();
    if (!position) {
      throw new CutoverError(
        ErrorNames.VerificationFailed,
        `the verification's change slot ${this.name} is gone from the source: what changed since the pass began cannot be told`,
      );
    }
    await this.db.query(`SELECT pg_replication_slot_advance($1, $2::pg_lsn) WHERE $2::pg_lsn > $3::pg_lsn`, [
      this.name,
      lsn,
      position,
    ]);
  }

  /**
   * Decodes the changes committed before `upTo` (at most about `maxMessages` messages, whole transactions),
   * from where the slot stands, without moving it, handing them to `use` a batch at a time; `use` returns
   * false to stop early. True when everything before `upTo` was read.
   */
  async peek(
    publication: string,
    upTo: string,
    maxMessages: number,
    use: (messages: Uint8Array[]) => Promise<boolean>,
  ): Promise<boolean> {
    await this.db.query('BEGIN');
    try {
      await this.db.query(
        `DECLARE cutover_changes NO SCROLL CURSOR FOR
           SELECT data FROM pg_logical_slot_peek_binary_changes(
             $1, $2::pg_lsn, $3::int, 'proto_version', '1', 'publication_names', $4)`,
        [this.name, upTo, maxMessages, quoteIdentifierList(publication)],
      );
      let read = 0;
      for (;;) {
        const batch = await this.db.query<{ data: Uint8Array }>(`FETCH ${FETCH_ROWS} FROM cutover_changes`);
        read += batch.length;
        if (batch.length > 0 && !(await use(batch.map((row) => row.data)))) return false;
        if (batch.length < FETCH_ROWS) return read < maxMessages;
      }
    } finally {
      await this.db.query('ROLLBACK');
    }
  }

  async drop(): Promise<'dropped' | 'absent'> {
    const [dropped] = await this.db.query<{ name: string }>(
      `SELECT slot_name AS name, pg_drop_replication_slot(slot_name)
         FROM pg_replication_slots
        WHERE slot_name = $1 AND database = current_database()`,
      [this.name],
    );
    return dropped ? 'dropped' : 'absent';
  }

  private async blockedCreation(timeoutMs: number): Promise<CutoverError> {
    const [oldest] = await this.db.query<{ pid: number; started: string }>(
      `SELECT pid, xact_start::text AS started
         FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
        ORDER BY xact_start
        LIMIT 1`,
    );
    const blocker = oldest ? ` (the oldest: process ${oldest.pid}, open since ${oldest.started})` : '';
    return new CutoverError(
      ErrorNames.VerificationFailed,
      `the verification could not start: transactions running on the source did not end within ${timeoutMs} ms${blocker}; its change slot waits for them`,
    );
  }
}

/** The WAL position the source has written up to now. */
export async function currentLsn(db: PostgresSession): Promise<string> {
  const [row] = await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  if (!row) throw new Error('the source reported no WAL position');
  return row.lsn;
}

/** pgoutput reads `publication_names` as a list of identifiers: quoted so any name survives. */
function quoteIdentifierList(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function pgCode(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}
