import type {
  ChangeDrainProgress,
  ChangeDrainRequest,
  ChunkPassProgress,
  ChunkPassRequest,
  DataVerifier,
  PassStart,
  PassStartRequest,
  RecheckRequest,
  SequenceSync,
  TableRecheck,
} from '../../ports/database';
import { drainChanges, type DrainRequest } from './change-drain';
import { ChangeSlot } from './change-slot';
import { comparePass } from './chunk-pass';
import { recheckInFreeze } from './freeze-recheck';
import type { ClientConfig } from './pg';
import { PostgresSessions, type PostgresSession } from './postgres-sessions';
import { syncSequences } from './sequence-sync';
import { tablesOutsideStream } from './stream-coverage';
import { TablePair, type Sides } from './table-checksums';

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

/** How long green may take to apply what blue wrote before a drain compares it (see change-drain). */
const SUBSCRIBER_WAIT_MS = 3000;
/** Decoded messages one drain reads at most before the freeze: it goes on in the next invocation. */
const DRAIN_MESSAGES = 250_000;
/** Inside the freeze the drain reads everything left (pg's int4 limit). */
const ALL_MESSAGES = 2_147_483_647;

export interface PostgresDataVerifierProps {
  readonly source: ClientConfig;
  readonly target: ClientConfig;
  /** The publication on the source; the schemas of its tables decide which sequences are synced. */
  readonly publication: string;
  /** The subscription on the target; its replication slot on the source carries the same name. */
  readonly subscription: string;
}

/**
 * Compares source and target; differences are reported, not thrown: the workflow decides. Apart from
 * the replication's other adapters, so that only the steps that compare data carry its code.
 */
export class PostgresDataVerifier implements DataVerifier {
  private readonly source: PostgresSessions;
  private readonly target: PostgresSessions;
  private readonly publication: string;
  private readonly subscription: string;

  constructor(props: PostgresDataVerifierProps) {
    if (!props.publication) throw new Error('publication must not be empty');
    if (!props.subscription) throw new Error('subscription must not be empty');
    this.source = new PostgresSessions(props.source);
    this.target = new PostgresSessions(props.target);
    this.publication = props.publication;
    this.subscription = props.subscription;
  }

  /** Ends connections still open; later calls fail. */
  async close(): Promise<void> {
    await Promise.all([this.source.close(), this.target.close()]);
  }

  syncSequences(signal?: AbortSignal): Promise<SequenceSync[]> {
    return syncSequences(this.source, this.target, this.publication, signal);
  }

  startPass(request: PassStartRequest, signal?: AbortSignal): Promise<PassStart> {
    return this.source.run(signal, async (db) => {
      const lsn = await new ChangeSlot(db, request.slot).open(request.waitMs);
      // Taken once the slot is there: rows of tables re-checked whole written from now on are re-checked.
      const [row] = await db.query<{ horizon: string }>(
        'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon',
      );
      if (!row) throw new Error('the source reported no transaction horizon');
      const wholeTables = await tablesOutsideStream(db, this.publication, request.tables);
      return { lsn, since: row.horizon, wholeTables };
    });
  }

  compareChunks(request: ChunkPassRequest, signal?: AbortSignal): Promise<ChunkPassProgress> {
    if (!Number.isInteger(request.chunkSize) || request.chunkSize < 1) {
      throw new RangeError(`chunkSize must be a positive whole number, got ${request.chunkSize}`);
    }
    return this.withSides(signal, (sides) => comparePass(sides, request));
  }

  drainChanges(request: ChangeDrainRequest, signal?: AbortSignal): Promise<ChangeDrainProgress> {
    return this.withSides(signal, async (sides) => {
      const whole = new Set(request.wholeTables.map((table) => table.table));
      const pairs = await describeAll(
        sides,
        request.tables.filter((table) => !whole.has(table)),
      );
      const drained = await drainChanges(sides, {
        ...this.drainOf(request),
        pairs,
        waitForSubscriberMs: Math.min(SUBSCRIBER_WAIT_MS, request.budgetMs / 2),
        maxMessages: DRAIN_MESSAGES,
      });
      return {
        drainedTo: drained.drainedTo,
        caughtUp: drained.caughtUp,
        rows: [...drained.compared.values()].reduce((sum, rows) => sum + rows, 0),
        differing: drained.differing,
        wholeTables: drained.wholeTables,
      };
    });
  }

  recheck(request: RecheckRequest, signal?: AbortSignal): Promise<TableRecheck[]> {
    return this.withSides(signal, async (sides) => {
      const pairs = await describeAll(sides, request.tables);
      const whole = new Set(request.wholeTables.map((table) => table.table));
      const drained = await drainChanges(sides, {
        ...this.drainOf({ ...request, differing: request.differingRows, budgetMs: Number.POSITIVE_INFINITY }),
        pairs: pairs.filter((pair) => !whole.has(pair.table)),
        // Green has caught up (CheckCaughtUp): everything blue wrote is compared.
        waitForSubscriberMs: null,
        maxMessages: ALL_MESSAGES,
      });
      if (!drained.caughtUp) {
        throw new Error('the change stream could not be read to its end inside the freeze');
      }
      const rechecked = await recheckInFreeze(sides, pairs, {
        since: request.since,
        ranges: request.ranges,
        wholeTables: [...request.wholeTables, ...drained.wholeTables],
        drained,
      });
      // The check is over, whatever it found. On an error the slot stays for a retry; the rollback
      // path drops it when there is none.
      await new ChangeSlot(sides.source, request.slot).drop();
      return rechecked;
    });
  }

  private drainOf(
    request: Pick<ChangeDrainRequest, 'slot' | 'from' | 'differing' | 'budgetMs'>,
  ): Omit<DrainRequest, 'pairs' | 'waitForSubscriberMs' | 'maxMessages'> {
    return {
      slot: request.slot,
      from: request.from,
      differing: request.differing,
      budgetMs: request.budgetMs,
      publication: this.publication,
      subscriberSlot: this.subscription,
    };
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

async function describeAll(sides: Sides, tables: readonly string[]): Promise<TablePair[]> {
  const pairs: TablePair[] = [];
  for (const table of tables) pairs.push(await TablePair.describe(sides, table));
  return pairs;
}

/** Session settings that make row text the same on both sides. */
async function stableOutput(db: PostgresSession): Promise<void> {
  const settings = Object.entries(STABLE_OUTPUT);
  const calls = settings.map((_, index) => `set_config($${2 * index + 1}, $${2 * index + 2}, false)`);
  await db.query(`SELECT ${calls.join(', ')}`, settings.flat());
}
