import * as z from 'zod';
import { CutoverError, ErrorNames } from '../../domain/errors';
import { databaseLimits } from '../../domain/plan/database-limits';
import type { Plan } from '../../domain/plan/schema';
import { stepBase } from '../contracts';
import { defineStep, ensureNoRollback, planOf, withDatabase } from '../step';

const sinceInput = stepBase.extend({ since: z.iso.datetime().nullish() });

function elapsedSeconds(since: string | null | undefined, now: Date): number {
  return since ? (now.getTime() - new Date(since).getTime()) / 1000 : 0;
}

/** Before freezing: waits (by being polled) until the lag is within the plan's limit. */
export const checkLagStep = defineStep({
  name: 'check-lag',
  input: sinceInput,
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    const plan = planOf(input);
    const now = ports.now();
    const since = input.since ?? now.toISOString();
    const lag = await withDatabase(ports, plan, (db) => db.monitor.lag(signal));
    const limits = requiredLimits(plan);
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
  input: stepBase,
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    const plan = planOf(input);
    const frozenAt = ports.now().toISOString();
    await withDatabase(ports, plan, async (db) => db.freeze?.freeze(signal));
    return { frozenAt };
  },
});

/** With writes frozen: the target must have everything (lag 0) before the freeze outlasts the plan's limit. */
export const checkCaughtUpStep = defineStep({
  name: 'check-caught-up',
  input: sinceInput,
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    const plan = planOf(input);
    const lag = await withDatabase(ports, plan, (db) => db.monitor.lag(signal));
    const limits = requiredLimits(plan);
    const caughtUp = lag.streaming && lag.amount <= limits.frozenLagTolerance;
    const limit = limits.maxWriteFreezeSeconds;
    if (!caughtUp && elapsedSeconds(input.since, ports.now()) > limit) {
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
  input: stepBase,
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    const synced = await withDatabase(
      ports,
      planOf(input),
      async (db) => (await db.verifier?.syncSequences(signal)) ?? [],
    );
    return { synced: synced.length };
  },
});

/** Row counts and chunked checksums per table; any difference stops the switchover. */
export const verifyDataStep = defineStep({
  name: 'verify-data',
  input: stepBase,
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    const plan = planOf(input);
    const db = plan.database;
    if (db.kind !== 'postgres-logical') return { tables: 0, rowsCompared: 0, mismatches: 0 };
    const report = await withDatabase(ports, plan, async (ports) =>
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
  input: stepBase.extend({ checkRollback: z.boolean().default(true) }),
  async run(ports, input, signal) {
    if (input.checkRollback) await ensureNoRollback(ports, input.execution, signal);
    const plan = planOf(input);
    const db = plan.database;
    await withDatabase(ports, plan, (ports) => ports.switch.switchOver(signal));
    if (db.kind !== 'postgres-logical' && db.kind !== 'rds-read-replica') return { tickets: [] };
    const ticket = await ports.traffic.pointEndpoint(db.endpoint, db.endpoint.green, signal);
    return { tickets: [ticket] };
  },
});

function requiredLimits(plan: Plan) {
  const limits = databaseLimits(plan);
  if (!limits) throw new Error('the plan has no database');
  return limits;
}
