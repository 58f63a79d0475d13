import { CutoverError, ErrorNames } from '../../domain/errors';
import type { SequenceSync } from '../../ports/database';
import type { PostgresSessions } from './postgres-sessions';

/**
 * Logical replication does not carry sequence positions: copies each sequence's last value from the
 * source to the target, for the sequences in the schemas of the published tables. Sequences that were
 * never used are left alone.
 */
export async function syncSequences(
  source: PostgresSessions,
  target: PostgresSessions,
  publication: string,
  signal?: AbortSignal,
): Promise<SequenceSync[]> {
  const positions = await source.run(signal, async (db) => {
    const [published] = await db.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
    if (!published) {
      throw new CutoverError(
        ErrorNames.VerificationFailed,
        `publication ${publication} does not exist on the source`,
      );
    }
    // last_value stays text: bigint values beyond 2^53 must reach setval unrounded.
    return db.query<{ sequence: string; value: string }>(
      `SELECT format('%I.%I', schemaname, sequencename) AS sequence, last_value::text AS value
         FROM pg_sequences
        WHERE last_value IS NOT NULL
          AND schemaname IN (SELECT schemaname FROM pg_publication_tables WHERE pubname = $1)
        ORDER BY 1`,
      [publication],
    );
  });
  if (positions.length === 0) return [];
  return target.run(signal, async (db) => {
    const missing = await db.query<{ sequence: string }>(
      'SELECT sequence FROM unnest($1::text[]) AS sequence WHERE to_regclass(sequence) IS NULL',
      [positions.map((position) => position.sequence)],
    );
    if (missing.length > 0) {
      const names = missing.map((row) => row.sequence).join(', ');
      throw new CutoverError(ErrorNames.VerificationFailed, `sequences missing on the target: ${names}`);
    }
    for (const position of positions) {
      await db.query('SELECT setval($1::regclass, $2::bigint, true)', [position.sequence, position.value]);
    }
    return positions.map((position) => ({ sequence: position.sequence, value: Number(position.value) }));
  });
}
