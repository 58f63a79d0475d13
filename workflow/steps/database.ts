import type { ExecutionContext } from '../../domain/context/execution-context';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { DatabaseLimits } from '../../domain/plan/database-limits';
import { contextFields, contextInput } from '../contracts';
import { Needs } from '../access';
import { boolean, isoDateTime, nullish, object, withDefault } from '../input';
import { defineStep, ensureNoRollback, withDatabase } from '../step';

const sinceInput = object({
  ...contextFields,
  since: nullish(isoDateTime),
});

function elapsedSeconds(since: string | null | undefined, now: Date): number {
  return since ? (now.getTime() - new Date(since).getTime()) / 1000 : 0;
}

function limitsOf(context: ExecutionContext): DatabaseLimits {
  if (context.database.kind === 'none') throw new Error('the plan has no database');
  return context.database.limits;
}

/** Before freezing: waits (by being polled) until the lag is within the plan's limit. */
export const checkLagStep = defineStep({
  name: 'check-lag',
  access: [...Needs.readControl, ...Needs.useDatabase, ...Needs.readReplicaLag],
  input: sinceInput,
  async run(ports, { context, since: started }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    const now = ports.now();
    const since = started ?? now.toISOString();
    const lag = await withDatabase(ports, context, (db) => db.monitor.lag(signal));
    const limits = limitsOf(context);
    const limit = limits.maxLag;
    if (lag.streaming && lag.amount <= limit) return { caughtUp: true, since, lag: lag.amount };
    const timeout = limits.catchUpTimeoutSeconds;
    if (elapsedSeconds(since, now) > timeout) {
      const state = lag.streaming ? `lags by ${lag.amount} ${lag.unit} (limit ${limit})` : 'is not running';
      throw new CutoverError(
        ErrorNames.ReplicationLagging,
        `replication never caught up: it ${state} after ${timeout}s`,
      );
    }
    return { caughtUp: false, since, lag: lag.amount };
  },
});

/** Stops writes on the source (open sessions included); the rollback path always undoes it. */
export const freezeWritesStep = defineStep({
  name: 'freeze-writes',
  access: [...Needs.readControl, ...Needs.useDatabase],
  input: contextInput,
  async run(ports, { context }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    const frozenAt = ports.now().toISOString();
    const report = await withDatabase(ports, context, async (db) => db.freeze?.freeze(signal));
    // Sessions it may not end are named in the result (and so in the execution history).
    const untouched = (report?.untouchedSessions ?? []).map(
      (session) => `${session.user} (pid ${session.pid})`,
    );
    return { frozenAt, untouchedSessions: untouched };
  },
});

/** With writes frozen: the target must have everything (lag 0) before the freeze outlasts the plan's limit. */
export const checkCaughtUpStep = defineStep({
  name: 'check-caught-up',
  access: [...Needs.readControl, ...Needs.useDatabase, ...Needs.readReplicaLag],
  input: sinceInput,
  async run(ports, { context, since }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    const lag = await withDatabase(ports, context, (db) => db.monitor.lag(signal));
    const limits = limitsOf(context);
    const caughtUp = lag.streaming && lag.amount <= limits.frozenLagTolerance;
    const limit = limits.maxWriteFreezeSeconds;
    if (!caughtUp && elapsedSeconds(since, ports.now()) > limit) {
      throw new CutoverError(
        ErrorNames.ReplicationLagging,
        `the target did not catch up within the ${limit}s write freeze (lag ${lag.amount} ${lag.unit})`,
      );
    }
    return { caughtUp, lag: lag.amount };
  },
});

/** Logical replication does not carry sequences: copy their positions before the target takes writes. */
export const syncSequencesStep = defineStep({
  name: 'sync-sequences',
  access: [...Needs.readControl, ...Needs.useDatabase],
  input: contextInput,
  async run(ports, { context }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    const synced = await withDatabase(
      ports,
      context,
      async (db) => (await db.verifier?.syncSequences(signal)) ?? [],
    );
    return { synced: synced.length };
  },
});

/** Row counts and chunked checksums per table; any difference stops the switchover. */
export const verifyDataStep = defineStep({
  name: 'verify-data',
  access: [...Needs.readControl, ...Needs.useDatabase],
  input: contextInput,
  async run(ports, { context }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    const db = context.database;
    if (db.kind !== 'postgres-logical') return { tables: 0, rowsCompared: 0, mismatches: 0 };
    const report = await withDatabase(ports, context, async (ports) =>
      ports.verifier?.verify(db.verify.tables, db.verify.chunkSize, signal),
    );
    if (!report) return { tables: 0, rowsCompared: 0, mismatches: 0 };
    if (report.mismatches > 0) {
      const where = report.tables.flatMap((t) => [
        ...(t.sourceRows === t.targetRows
          ? []
          : [`${t.table}: ${t.sourceRows} rows on blue, ${t.targetRows} on green`]),
        ...t.mismatchedChunks,
      ]);
      throw new CutoverError(
        ErrorNames.VerificationFailed,
        `green's data differs from blue's: ${where.join('; ')}`,
      );
    }
    return { tables: report.tables.length, rowsCompared: report.rowsCompared, mismatches: 0 };
  },
});

/**
 * The point of no return: green's database becomes the database of record and the application's
 * endpoint is repointed. Blue stays frozen, so a client still holding the old address cannot write
 * to it (no split brain).
 */
export const switchDatabaseStep = defineStep({
  name: 'switch-database',
  access: [...Needs.readControl, ...Needs.useDatabase, ...Needs.switchDatabase, ...Needs.changeRecords],
  input: object({
    ...contextFields,
    checkRollback: withDefault(boolean, true),
  }),
  async run(ports, { context, checkRollback }, signal) {
    if (checkRollback) await ensureNoRollback(ports, context.execution, signal);
    await withDatabase(ports, context, (ports) => ports.switch.switchOver(signal));
    if (!context.endpoint) return { tickets: [] };
    const ticket = await ports.traffic.pointEndpoint(context.endpoint, context.endpoint.green, signal);
    return { tickets: [ticket] };
  },
});
