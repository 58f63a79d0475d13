import type { DataVerifier, SequenceSync, TableVerification, VerificationReport } from '../../ports/database';
import type { PostgresSession, PostgresSessions } from './postgres-sessions';
import { syncSequences } from './sequence-sync';
import { compareTable } from './table-checksums';

/**
 * Row text must not depend on server or session defaults that can differ between the two sides
 * (the source's time zone, an RDS parameter group, ...).
 */
const STABLE_OUTPUT = {
  TimeZone: 'UTC',
  DateStyle: 'ISO, YMD',
  IntervalStyle: 'postgres',
  extra_float_digits: '1',
  bytea_output: 'hex',
  lc_monetary: 'C',
};

/** Compares source and target table by table; mismatches are reported, not thrown: the domain decides. */
export class PostgresDataVerifier implements DataVerifier {
  constructor(
    private readonly source: PostgresSessions,
    private readonly target: PostgresSessions,
    private readonly publication: string,
  ) {}

  syncSequences(signal?: AbortSignal): Promise<SequenceSync[]> {
    return syncSequences(this.source, this.target, this.publication, signal);
  }

  async verify(
    tables: readonly string[],
    chunkSize: number,
    signal?: AbortSignal,
  ): Promise<VerificationReport> {
    if (!Number.isInteger(chunkSize) || chunkSize < 1) {
      throw new RangeError(`chunkSize must be a positive whole number, got ${chunkSize}`);
    }
    const results = await this.source.run(signal, (source) =>
      this.target.run(signal, async (target) => {
        await Promise.all([beginSnapshot(source), beginSnapshot(target)]);
        const verified: TableVerification[] = [];
        for (const table of tables) verified.push(await compareTable(source, target, table, chunkSize));
        await Promise.all([source.query('COMMIT'), target.query('COMMIT')]);
        return verified;
      }),
    );
    const countDifferences = results.filter((table) => table.sourceRows !== table.targetRows).length;
    return {
      tables: results,
      rowsCompared: results.reduce((sum, table) => sum + table.sourceRows, 0),
      mismatches: results.reduce((sum, table) => sum + table.mismatchedChunks.length, 0) + countDifferences,
    };
  }
}

/** One consistent snapshot per side for the whole comparison. */
async function beginSnapshot(db: PostgresSession): Promise<void> {
  await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const settings = Object.entries(STABLE_OUTPUT);
  const calls = settings.map((_, index) => `set_config($${2 * index + 1}, $${2 * index + 2}, true)`);
  await db.query(`SELECT ${calls.join(', ')}`, settings.flat());
}
