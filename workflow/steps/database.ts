import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionContext } from '../../domain/context/execution-context';
import { CATCH_UP_POLL, catchUpPollWindowMs } from '../../domain/database/catch-up-poll';
import { freezeTimeLeftMs, unfreezeBy } from '../../domain/database/write-freeze';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { DatabaseLimits } from '../../domain/plan/database-limits';
import { contextFields, contextInput } from '../contracts';
import { Needs } from '../access';
import { boolean, isoDateTime, nullish, object, string, walPosition, withDefault } from '../input';
import {
  defineStep,
  ensureNoRollback,
  ensureWithinWriteFreeze,
  renewLease,
  withDatabase,
  withinWriteFreeze,
} from '../step';

const sinceInput = object({
  ...contextFields,
  since: nullish(isoDateTime),
});
/** Steps inside the write freeze carry its deadline (null when nothing was frozen). */
const frozenFields = { ...contextFields, unfreezeBy: nullish(isoDateTime) };
const frozenInput = object(frozenFields);

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
  idempotent: true,
  access: [...Needs.readControl, ...Needs.renewLocks, ...Needs.useDatabase, ...Needs.readReplicaLag],
  input: sinceInput,
  async run(ports, { context, since: started }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    await renewLease(ports, context, signal);
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
  idempotent: true,
  access: [...Needs.readControl, ...Needs.renewLocks, ...Needs.useDatabase],
  input: contextInput,
  async run(ports, { context }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    await renewLease(ports, context, signal);
    const now = ports.now();
    const frozenAt = now.toISOString();
    // Every step inside the freeze carries this deadline; past it the workflow unfreezes and rolls back.
    const deadline = unfreezeBy(now, limitsOf(context).maxWriteFreezeSeconds).toISOString();
    const { report, sourceLsn } = await withDatabase(ports, context, async (db) => {
      const frozen = await db.freeze?.freeze(signal);
      // Taken once writes are frozen: every commit the replica must replay lies before this position.
      return { report: frozen, sourceLsn: (await db.catchUp?.sourcePosition(signal)) ?? null };
    });
    // Sessions it may not end are named in the result (and so in the execution history).
    const untouched = (report?.untouchedSessions ?? []).map(
      (session) => `${session.user} (pid ${session.pid})`,
    );
    return { frozenAt, unfreezeBy: deadline, untouchedSessions: untouched, sourceLsn };
  },
});

/**
 * With writes frozen: the target must have everything before the freeze outlasts the plan's limit. A
 * replica that replays WAL has once its replay position reaches the source's, taken after the freeze
 * (`sourceLsn`); otherwise the lag must fall within the frozen tolerance. The target is usually a few
 * milliseconds behind, so one check reads again for a few seconds (CATCH_UP_POLL) before answering
 * "not yet" to the state machine's slower Wait loop.
 */
export const checkCaughtUpStep = defineStep({
  name: 'check-caught-up',
  idempotent: true,
  access: [...Needs.readControl, ...Needs.useDatabase, ...Needs.readReplicaLag],
  input: object({ ...frozenFields, sourceLsn: nullish(walPosition) }),
  async run(ports, { context, unfreezeBy: deadline, sourceLsn }, signal, invocation) {
    await ensureNoRollback(ports, context.execution, signal);
    const limits = limitsOf(context);
    const pollMs = catchUpPollWindowMs({
      now: ports.now(),
      unfreezeBy: deadline,
      invocationLeftMs: invocation?.remainingMs(),
    });
    const readUntil = ports.now().getTime() + pollMs;
    const { lag, caughtUp } = await withDatabase(ports, context, async (db) => {
      const wal = db.catchUp;
      const { read, tolerance } =
        wal && sourceLsn
          ? { read: () => wal.lagBehind(sourceLsn, signal), tolerance: 0 }
          : { read: () => db.monitor.lag(signal), tolerance: limits.frozenLagTolerance };
      for (;;) {
        const lag = await read();
        const caughtUp = lag.streaming && lag.amount <= tolerance;
        const leftMs = readUntil - ports.now().getTime();
        if (caughtUp || leftMs <= 0) return { lag, caughtUp };
        await sleep(Math.min(CATCH_UP_POLL.intervalMs, leftMs), undefined, signal ? { signal } : {});
      }
    });
    if (!caughtUp && deadline && freezeTimeLeftMs(deadline, ports.now()) <= 0) {
      throw new CutoverError(
        ErrorNames.ReplicationLagging,
        `the target did not catch up within the ${limits.maxWriteFreezeSeconds}s write freeze (lag ${lag.amount} ${lag.unit})`,
      );
    }
    return { caughtUp, lag: lag.amount };
  },
});

/** Logical replication does not carry sequences: copy their positions before the target takes writes. */
export const syncSequencesStep = defineStep({
  name: 'sync-sequences',
  idempotent: true,
  access: [...Needs.readControl, ...Needs.useDatabase],
  input: frozenInput,
  async run(ports, { context, unfreezeBy }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    const synced = await withinWriteFreeze(ports, unfreezeBy, signal, (bounded) =>
      withDatabase(ports, context, async (db) => (await db.verifier?.syncSequences(bounded)) ?? []),
    );
    return { synced: synced.length };
  },
});

/**
 * The point of no return: green's database becomes the database of record and the application's
 * endpoint is repointed. Blue stays frozen, so a client still holding the old address cannot write
 * to it (no split brain). The first call requests the switch; while it is under way (an RDS promotion
 * or Blue/Green switchover takes minutes) the state machine calls again with what the last call
 * reported, until it is done or outlasts the database's switch limit. Nothing here waits.
 */
export const switchDatabaseStep = defineStep({
  name: 'switch-database',
  idempotent: false,
  access: [...Needs.readControl, ...Needs.useDatabase, ...Needs.switchDatabase, ...Needs.changeRecords],
  input: object({
    ...frozenFields,
    checkRollback: withDefault(boolean, true),
    previous: nullish(object({ done: boolean, status: string })),
    startedAt: nullish(isoDateTime),
  }),
  async run(ports, { context, checkRollback, unfreezeBy, previous, startedAt: started }, signal) {
    if (checkRollback) await ensureNoRollback(ports, context.execution, signal);
    // Never start the switch past the freeze's deadline; once started it is not cut off.
    if (!previous && unfreezeBy) ensureWithinWriteFreeze(ports, unfreezeBy);
    const now = ports.now();
    const startedAt = started ?? now.toISOString();
    const progress = await withDatabase(ports, context, (db) =>
      db.switch.switchOver(previous ?? undefined, signal),
    );
    if (!progress.done) {
      const limit = limitsOf(context).switchWaitSeconds;
      if (elapsedSeconds(startedAt, now) > limit) {
        throw new CutoverError(
          ErrorNames.SwitchoverFailed,
          `the switch did not finish within ${limit}s (last status: ${progress.status})`,
        );
      }
      return { done: false, progress, startedAt, tickets: [] };
    }
    if (!context.endpoint) return { done: true, progress, startedAt, tickets: [] };
    const ticket = await ports.traffic.pointEndpoint(context.endpoint, context.endpoint.green, signal);
    return { done: true, progress, startedAt, tickets: [ticket] };
  },
});
