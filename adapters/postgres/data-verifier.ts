import type {
  ChunkPassProgress,
  ChunkPassRequest,
  DataVerifier,
  RecheckRequest,
  SequenceSync,
  TableRecheck,
} from '../../ports/database';
import { comparePass } from './chunk-pass';
import type { ClientConfig } from './pg';
import { PostgresSessions, type PostgresSession } from './postgres-sessions';
import { syncSequences } from './sequence-sync';
import type { Sides } from './table-checksums';
import { recheckTable } from './table-recheck';

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

export interface PostgresDataVerifierProps {
  readonly source: ClientConfig;
  readonly target: ClientConfig;
  /** The publication on the source; the schemas of its tables decide which sequences are synced. */
  readonly publication: string;
}

/**
 * Compares source and target; differences are reported, not thrown: the workflow decides. Apart from
 * the replication's other adapters, so that only the steps that compare data carry its code.
 */
export class PostgresDataVerifier implements DataVerifier {
  private readonly source: PostgresSessions;
  private readonly target: PostgresSessions;
  private readonly publication: string;

  constructor(props: PostgresDataVerifierProps) {
    if (!props.publication) throw new Error('publication must not be empty');
    this.source = new PostgresSessions(props.source);
    this.target = new PostgresSessions(props.target);
    this.publication = props.publication;
  }

  /** Ends connections still open; later calls fail. */
  async close(): Promise<void> {
    await Promise.all([this.source.close(), this.target.close()]);
  }

  syncSequences(signal?: AbortSignal): Promise<SequenceSync[]> {
    return syncSequences(this.source, this.target, this.publication, signal);
  }

  async startPass(signal?: AbortSignal): Promise<string> {
    const [row] = await this.source.run(signal, (db) =>
      db.query<{ horizon: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon'),
    );
    if (!row) throw new Error('the source reported no transaction horizon');
    return row.horizon;
  }

  compareChunks(request: ChunkPassRequest, signal?: AbortSignal): Promise<ChunkPassProgress> {
    if (!Number.isInteger(request.chunkSize) || request.chunkSize < 1) {
      throw new RangeError(`chunkSize must be a positive whole number, got ${request.chunkSize}`);
    }
    return this.withSides(signal, (sides) => comparePass(sides, request));
  }

  recheck(request: RecheckRequest, signal?: AbortSignal): Promise<TableRecheck[]> {
    return this.withSides(signal, async (sides) => {
      const rechecked: TableRecheck[] = [];
      for (const table of request.tables) rechecked.push(await recheckTable(sides, table, request));
      return rechecked;
    });
  }

  private withSides<T>(signal: AbortSignal | undefined, work: (sides: Sides) => Promise<T>): Promise<T> {
    return this.source.run(signal, (source) =>
      this.target.run(signal, async (target) => {
        await Promise.all([stableOutput(source), stableOutput(target)]);
        return work({ source, target });
      }),
    );
  }
}

/** Session settings that make row text the same on both sides. */
async function stableOutput(db: PostgresSession): Promise<void> {
  const settings = Object.entries(STABLE_OUTPUT);
  const calls = settings.map((_, index) => `set_config($${2 * index + 1}, $${2 * index + 2}, false)`);
  await db.query(`SELECT ${calls.join(', ')}`, settings.flat());
}
