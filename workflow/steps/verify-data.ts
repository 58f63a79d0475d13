import { CutoverError, ErrorNames } from '../../domain/errors';
import { MAX_DIFFERING_RANGES } from '../../domain/verification/chunk-size';
import { rangeLabel } from '../../domain/verification/key-range';
import { Needs } from '../access';
import { contextFields } from '../contracts';
import { array, int, isoDateTime, nullish, object, string, type Read } from '../input';
import { defineStep, ensureNoRollback, withDatabase, withinWriteFreeze, type Invocation } from '../step';

/** The share of the function's remaining time one invocation spends comparing chunks. */
const BUDGET_SHARE = 1 / 4;
/** The budget when the invocation's remaining time is unknown (a step run outside Lambda). */
const DEFAULT_BUDGET_MS = 30_000;

const keyRange = object({ table: string, after: nullish(array(string)), upTo: array(string) });
/** The verification pass as the state machine carries it between invocations: a compact summary. */
const pass = object({
  /** The source's transaction horizon when the pass began (rows written since are re-checked). */
  since: string,
  cursor: nullish(object({ table: string, after: nullish(array(string)) })),
  chunkSize: int(1),
  chunks: int(0),
  rows: int(0),
  invocations: int(0),
  differing: array(keyRange),
});

/**
 * Before the freeze, while replication runs: compares chunks from the pass's cursor on for a quarter
 * of the function's time, then returns the cursor; the state machine calls again until `done`.
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
    const next = await withDatabase(ports, context, async ({ verifier }) => {
      if (!verifier) return null;
      const since = previous?.since ?? (await verifier.startPass(signal));
      const progress = await verifier.compareChunks(
        {
          tables: db.verify.tables,
          cursor: previous?.cursor
            ? { table: previous.cursor.table, after: previous.cursor.after ?? null }
            : null,
          chunkSize: previous?.chunkSize ?? db.verify.chunkSize,
          budgetMs: budgetOf(invocation),
        },
        signal,
      );
      return {
        since,
        cursor: progress.cursor,
        chunkSize: progress.chunkSize,
        chunks: (previous?.chunks ?? 0) + progress.chunks,
        rows: (previous?.rows ?? 0) + progress.rows,
        invocations: (previous?.invocations ?? 0) + 1,
        differing: [...(previous?.differing ?? []), ...progress.differing],
      };
    });
    if (!next) return { done: true, pass: null };
    if (next.differing.length > MAX_DIFFERING_RANGES) {
      throw new CutoverError(
        ErrorNames.VerificationFailed,
        `green's data differs from blue's in more than ${MAX_DIFFERING_RANGES} ranges before the freeze, ` +
          `more than replication lag explains: ${next.differing
            .slice(0, 5)
            .map((r) => rangeLabel(r.table, r.after, r.upTo))
            .join('; ')}; …`,
      );
    }
    return { done: next.cursor === null, pass: next };
  },
});

/**
 * Inside the write freeze, with the target caught up: checks only what may have changed since the
 * pass (rows written since it began, the ranges that differed, row counts), so the freeze does not
 * grow with the tables. Any difference stops the switchover.
 */
export const recheckDataStep = defineStep({
  name: 'recheck-data',
  idempotent: true,
  access: [...Needs.readControl, ...Needs.useDatabase],
  input: object({ ...contextFields, unfreezeBy: nullish(isoDateTime), pass: nullish(pass) }),
  async run(ports, { context, unfreezeBy, pass: done }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    const db = context.database;
    if (db.kind !== 'postgres-logical' || !done) return { tables: 0, rows: 0, changedRows: 0, ranges: 0 };
    const tables = await withinWriteFreeze(ports, unfreezeBy, signal, (bounded) =>
      withDatabase(
        ports,
        context,
        async ({ verifier }) =>
          (await verifier?.recheck(
            {
              tables: db.verify.tables,
              since: done.since,
              ranges: done.differing.map((range: Read<typeof keyRange>) => ({
                ...range,
                after: range.after ?? null,
              })),
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
      rows: tables.reduce((sum, table) => sum + table.sourceRows, 0),
      changedRows: tables.reduce((sum, table) => sum + table.changedRows, 0),
      ranges: done.differing.length,
    };
  },
});

function budgetOf(invocation: Invocation | undefined): number {
  return invocation ? Math.max(1, Math.floor(invocation.remainingMs() * BUDGET_SHARE)) : DEFAULT_BUDGET_MS;
}
