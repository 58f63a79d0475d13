import type { ExecutionContext } from '../../domain/context/execution-context';
import { CutoverError, ErrorNames } from '../../domain/errors';
import {
  MAX_CATCH_UP_DRAINS,
  MAX_DIFFERING_KEYS,
  verificationSlotName,
} from '../../domain/verification/change-stream';
import { MAX_DIFFERING_RANGES } from '../../domain/verification/chunk-size';
import { keyLabel, rangeLabel } from '../../domain/verification/key-range';
import type { ChangedKey, DataVerifier, KeyRange } from '../../ports/database';
import { Needs } from '../access';
import { contextFields } from '../contracts';
import { array, int, isoDateTime, nullish, object, string, walPosition, type Read } from '../input';
import { defineStep, ensureNoRollback, withDatabase, withinWriteFreeze, type Invocation } from '../step';

/** The share of the function's remaining time one invocation spends comparing chunks, then changes. */
const BUDGET_SHARE = 1 / 4;
/** The budget when the invocation's remaining time is unknown (a step run outside Lambda). */
const DEFAULT_BUDGET_MS = 30_000;

const keyRange = object({ table: string, after: nullish(array(string)), upTo: array(string) });
const changedKey = object({ table: string, key: array(string) });
const wholeTable = object({ table: string, reason: string });
/** The verification pass as the state machine carries it between invocations: a compact summary. */
const pass = object({
  /** The source's transaction horizon when the pass began (tables re-checked whole use it). */
  since: string,
  /** Every change committed on the source up to here has been compared (the slot moves on to it). */
  drainedTo: walPosition,
  /** Tables the change stream cannot follow: re-checked whole in the freeze. */
  wholeTables: array(wholeTable),
  /** Rows changed since the pass began that still differed at the last drain. */
  differingRows: array(changedKey),
  /** Rows compared because they changed while the pass ran. */
  changedRows: int(0),
  /** Drains after the last chunk that did not reach the position they began at (green behind). */
  catchUpDrains: int(0),
  cursor: nullish(object({ table: string, after: nullish(array(string)) })),
  chunkSize: int(1),
  chunks: int(0),
  rows: int(0),
  invocations: int(0),
  differing: array(keyRange),
});
type Pass = Read<typeof pass>;

/**
 * Before the freeze, while replication runs: compares chunks from the pass's cursor on, then the rows
 * changed since (drained from the source's change stream), each for a quarter of the function's time
 * left; the state machine calls again until every chunk is compared and a drain has caught up.
 */
export const verifyDataStep = defineStep({
  name: 'verify-data',
  idempotent: true,
  access: [...Needs.readControl, ...Needs.useDatabase],
  input: object({ ...contextFields, pass: nullish(pass) }),
  async run(ports, { context, pass: previous }, signal, invocation) {
    await ensureNoRollback(ports, context.execution, signal);
    const db = context.database;
    if (db.kind !== 'postgres-logical') return { done: true, pass: null };
    const next = await withDatabase(ports, context, async ({ verifier }) =>
      verifier ? passOn(verifier, context, db.verify, previous ?? null, invocation, signal) : null,
    );
    if (!next) return { done: true, pass: null };
    ensureLagExplains(next);
    return { done: next.cursor === null && next.caughtUp, pass: withoutFlag(next) };
  },
});

async function passOn(
  verifier: DataVerifier,
  context: ExecutionContext,
  verify: { readonly tables: readonly string[]; readonly chunkSize: number },
  previous: Pass | null,
  invocation: Invocation | undefined,
  signal: AbortSignal | undefined,
) {
  const slot = verificationSlotName(context.execution);
  const { tables } = verify;
  const start = previous
    ? { lsn: previous.drainedTo, since: previous.since, wholeTables: previous.wholeTables }
    : await verifier.startPass({ slot, tables, waitMs: budgetOf(invocation) }, signal);
  // A pass whose cursor is spent only drains changes until a drain catches up.
  const chunksLeft = !previous || Boolean(previous.cursor);
  const chunks = chunksLeft
    ? await verifier.compareChunks(
        {
          tables,
          cursor: previous?.cursor
            ? { table: previous.cursor.table, after: previous.cursor.after ?? null }
            : null,
          chunkSize: previous?.chunkSize ?? verify.chunkSize,
          budgetMs: budgetOf(invocation),
        },
        signal,
      )
    : null;
  const drain = await verifier.drainChanges(
    {
      slot,
      tables,
      from: start.lsn,
      differing: previous?.differingRows ?? [],
      wholeTables: start.wholeTables,
      budgetMs: budgetOf(invocation),
    },
    signal,
  );
  return {
    since: start.since,
    drainedTo: drain.drainedTo,
    wholeTables: [...start.wholeTables, ...drain.wholeTables],
    differingRows: drain.differing.map((row) => ({ table: row.table, key: [...row.key] })),
    changedRows: (previous?.changedRows ?? 0) + drain.rows,
    catchUpDrains: (previous?.catchUpDrains ?? 0) + (!chunksLeft && !drain.caughtUp ? 1 : 0),
    cursor: chunks ? chunks.cursor : null,
    chunkSize: chunks?.chunkSize ?? previous?.chunkSize ?? verify.chunkSize,
    chunks: (previous?.chunks ?? 0) + (chunks?.chunks ?? 0),
    rows: (previous?.rows ?? 0) + (chunks?.rows ?? 0),
    invocations: (previous?.invocations ?? 0) + 1,
    differing: [...(previous?.differing ?? []).map(asKeyRange), ...(chunks?.differing ?? [])],
    caughtUp: drain.caughtUp,
  };
}

/** Differences beyond what replication lag explains stop the cutover before anything is frozen. */
function ensureLagExplains(
  next: Pick<Pass, 'catchUpDrains'> & {
    readonly differing: readonly KeyRange[];
    readonly differingRows: readonly ChangedKey[];
  },
): void {
  const fail = (message: string): never => {
    throw new CutoverError(ErrorNames.VerificationFailed, message);
  };
  if (next.differing.length > MAX_DIFFERING_RANGES) {
    fail(
      `green's data differs from blue's in more than ${MAX_DIFFERING_RANGES} ranges before the freeze, ` +
        `more than replication lag explains: ${next.differing
          .slice(0, 5)
          .map((r) => rangeLabel(r.table, r.after, r.upTo))
          .join('; ')}; …`,
    );
  }
  if (next.differingRows.length > MAX_DIFFERING_KEYS) {
    fail(
      `green's data differs from blue's in more than ${MAX_DIFFERING_KEYS} rows changed during the pass, ` +
        `more than replication lag explains: ${next.differingRows
          .slice(0, 5)
          .map((row) => `${row.table}[${keyLabel(row.key)}]`)
          .join('; ')}; …`,
    );
  }
  if (next.catchUpDrains > MAX_CATCH_UP_DRAINS) {
    fail(
      `green stayed behind blue for ${next.catchUpDrains} drains of the change stream after the pass: ` +
        'the verification cannot catch up before the freeze',
    );
  }
}

function withoutFlag<T extends { caughtUp: boolean }>({ caughtUp: _, ...pass }: T): Omit<T, 'caughtUp'> {
  return pass;
}

/**
 * Inside the write freeze, with the target caught up: compares only what changed since the last drain
 * (a few seconds of writes), the rows and ranges that still differed, and, whole, the tables the change
 * stream cannot follow; the verifier then drops the pass's slot. Any difference stops the switchover.
 */
export const recheckDataStep = defineStep({
  name: 'recheck-data',
  idempotent: true,
  access: [...Needs.readControl, ...Needs.useDatabase],
  input: object({ ...contextFields, unfreezeBy: nullish(isoDateTime), pass: nullish(pass) }),
  async run(ports, { context, unfreezeBy, pass: done }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    const db = context.database;
    if (db.kind !== 'postgres-logical' || !done) {
      return { tables: 0, changedRows: 0, wholeTables: [], ranges: 0 };
    }
    const slot = verificationSlotName(context.execution);
    const tables = await withinWriteFreeze(ports, unfreezeBy, signal, (bounded) =>
      withDatabase(
        ports,
        context,
        async ({ verifier }) =>
          (await verifier?.recheck(
            {
              slot,
              tables: db.verify.tables,
              from: done.drainedTo,
              since: done.since,
              wholeTables: done.wholeTables,
              differingRows: done.differingRows,
              ranges: done.differing.map(asKeyRange),
            },
            bounded,
          )) ?? [],
      ),
    );
    const differences = tables.flatMap((table) => table.differences);
    if (differences.length > 0) {
      throw new CutoverError(
        ErrorNames.VerificationFailed,
        `green's data differs from blue's: ${differences.join('; ')}`,
      );
    }
    return {
      tables: tables.length,
      changedRows: tables.reduce((sum, table) => sum + table.changedRows, 0),
      wholeTables: tables.flatMap((table) =>
        table.wholeTable ? [{ table: table.table, reason: table.wholeTable.reason }] : [],
      ),
      ranges: done.differing.length,
    };
  },
});

function asKeyRange(range: Read<typeof keyRange>): KeyRange {
  return { ...range, after: range.after ?? null };
}

function budgetOf(invocation: Invocation | undefined): number {
  return invocation ? Math.max(1, Math.floor(invocation.remainingMs() * BUDGET_SHARE)) : DEFAULT_BUDGET_MS;
}
