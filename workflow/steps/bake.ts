import { ErrorNames } from '../../domain/errors';
import { judgeRound, NO_ROUNDS } from '../../domain/health/verdict';
import type { HealthSpec } from '../../domain/context/execution-context';
import type { HealthProbe } from '../../ports/health-probe';
import { contextFields, shiftStep, tickets } from '../contracts';
import { describeRound, probeRound } from '../probe-round';
import type { Ports } from '../ports';
import { Needs } from '../access';
import {
  check,
  int,
  isoDateTime,
  nonEmpty,
  number,
  object,
  optional,
  withDefault,
  type Read,
} from '../input';
import { defineStep, ensureNoRollback } from '../step';

const counters = object({
  rounds: int(),
  consecutiveFailures: int(),
  consecutiveInconclusive: int(),
});

/** What a pending bake keeps in the control record between the watcher's rounds. */
const bakeDetail = object({
  health: check(
    'the health section of the context',
    (value): value is HealthSpec => typeof value === 'object' && value !== null,
  ),
  stepIndex: int(),
  greenPercent: number(),
  /** The weight change to wait for; the bake's clock starts once it is INSYNC. */
  tickets: tickets,
  /** TTL + bake: how long after INSYNC a healthy round promotes the step. */
  holdSeconds: number(0),
  inSyncAt: optional(isoDateTime),
  nextProbeAt: isoDateTime,
  counters: counters,
});
type BakeDetail = Read<typeof bakeDetail>;

const startBakeInput = object({
  ...contextFields,
  step: shiftStep,
  tickets: tickets,
  taskToken: nonEmpty,
});

/**
 * Registers a bake right after the weights are set: the state machine then waits on the task token
 * (a single history event however long the bake), and the health watcher completes it. Health is
 * judged from the first moment, so a failing green is caught while the change still propagates;
 * promotion needs the change INSYNC, one TTL, then the whole bake.
 */
export const startBakeStep = defineStep({
  name: 'start-bake',
  access: [...Needs.readControl, ...Needs.setPending, ...Needs.wakeWatcher],
  input: startBakeInput,
  async run(ports, input, signal) {
    const { context } = input;
    await ensureNoRollback(ports, context.execution, signal);
    const now = ports.now();
    const detail: BakeDetail = {
      health: context.health,
      stepIndex: input.step.index,
      greenPercent: input.step.greenPercent,
      tickets: input.tickets,
      holdSeconds: input.step.ttlSeconds + input.step.bakeSeconds,
      nextProbeAt: now.toISOString(),
      counters: NO_ROUNDS,
    };
    await ports.control.setPending(
      context.execution,
      { kind: 'bake', taskToken: input.taskToken, since: now.toISOString(), detail },
      signal,
    );
    // After the wait is written: a watcher woken now finds it.
    await ports.watcherSchedule?.start(signal);
    return { registered: true };
  },
});

export interface WatchSummary {
  readonly watched: number;
  readonly probed: number;
  readonly completed: number;
}

type WatchResult = 'waiting' | 'probed' | 'completed';

/**
 * One pass of the health watcher over every pending bake. Each execution is watched on its own: its
 * record read again (consistently; the index it was found by lags), its probes built and run apart
 * from every other, so one execution's bad probe or slow endpoint never holds up or aborts another's.
 */
export async function watchBakesOnce(ports: Ports, signal?: AbortSignal): Promise<WatchSummary> {
  const listed = await ports.control.listPending('bake', signal);
  const results = await Promise.all(
    listed.map((control) =>
      watchBake(ports, control.execution, signal).catch((error: unknown): WatchResult => {
        // An AWS call that failed (throttled, unavailable) is tried again on the next pass.
        if (signal?.aborted) throw error;
        return 'waiting';
      }),
    ),
  );
  return {
    watched: listed.length,
    probed: results.filter((r) => r !== 'waiting').length,
    completed: results.filter((r) => r === 'completed').length,
  };
}

async function watchBake(ports: Ports, execution: string, signal?: AbortSignal): Promise<WatchResult> {
  const control = await ports.control.get(execution, signal);
  const pending = control.pending;
  // The watcher answers bakes only; anything else was answered, replaced or is another's to answer.
  if (!pending || pending.kind !== 'bake') return 'waiting';
  const finish = async (outcome: { error: string; cause: string } | { output: Record<string, unknown> }) => {
    if ('output' in outcome) await ports.callbacks.succeed(pending.taskToken, outcome.output, signal);
    else await ports.callbacks.fail(pending.taskToken, outcome.error, outcome.cause, signal);
    await ports.control.clearPending(execution, pending.taskToken, signal);
    return 'completed' as const;
  };
  let detail: BakeDetail;
  try {
    detail = bakeDetail(pending.detail, 'bake detail');
  } catch {
    return finish({
      error: ErrorNames.HealthCheckFailed,
      cause: 'the bake’s record cannot be read, so its health cannot be judged',
    });
  }
  const where = `step ${detail.stepIndex + 1} (${detail.greenPercent} % green)`;
  if (control.rollback) {
    return finish({
      error: ErrorNames.OperatorRollback,
      cause: `rollback requested by ${control.rollback.actor} during ${where}: ${control.rollback.reason}`,
    });
  }
  const now = ports.now();
  if (now < new Date(detail.nextProbeAt)) return 'waiting';

  let probes: HealthProbe[];
  try {
    probes = ports.healthProbes(detail.health.probes);
  } catch (error) {
    // This execution's probes cannot run: it fails, with the cause, and no other execution notices.
    return finish({
      error: ErrorNames.HealthCheckFailed,
      cause: `${where}: the plan’s probes cannot run: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const inSyncAt =
    detail.inSyncAt ??
    ((await ports.traffic.isInSync(detail.tickets, signal)) ? now.toISOString() : undefined);
  const round = await probeRound(probes, signal);
  const bakeOver =
    inSyncAt !== undefined && ports.now().getTime() >= Date.parse(inSyncAt) + detail.holdSeconds * 1000;
  const { counters, verdict } = judgeRound(detail.counters, round.outcome, detail.health, bakeOver);
  switch (verdict.kind) {
    case 'promote':
      return finish({ output: { answer: 'bake', promoted: true, rounds: counters.rounds } });
    case 'failed':
      return finish({
        error: ErrorNames.HealthCheckFailed,
        cause: `${where}: ${verdict.reason}: ${describeRound(round)}`,
      });
    case 'inconclusive':
      return finish({
        error: ErrorNames.HealthInconclusive,
        cause: `${where}: ${verdict.reason}: ${describeRound(round)}`,
      });
    case 'continue': {
      const next: BakeDetail = {
        ...detail,
        ...(inSyncAt ? { inSyncAt } : {}),
        counters,
        nextProbeAt: new Date(now.getTime() + detail.health.intervalSeconds * 1000).toISOString(),
      };
      // Only while this very wait is pending: a stale read never brings back an older bake's token.
      const written = await ports.control.updatePending(execution, pending.taskToken, next, signal);
      return written ? 'probed' : 'waiting';
    }
  }
}

const watchBakesInput = withDefault(object({ windowSeconds: withDefault(number(0, 840), 55) }), {
  windowSeconds: 55,
});

/** How long the watcher waits, after turning its schedule off, before looking once more for a new bake. */
const SCHEDULE_SETTLE_MS = 2000;

/**
 * The scheduled health watcher: keeps probing pending bakes for `windowSeconds` (one scheduler tick),
 * so probe intervals shorter than the schedule's minute are honoured. One runs at a time (a lease in
 * the control table); once no bake is pending it turns its own schedule off, and the next bake's
 * registration turns it on again.
 */
export const watchBakesStep = defineStep({
  name: 'watch-bakes',
  access: [
    ...Needs.watchPending,
    ...Needs.watcherLease,
    ...Needs.switchWatcher,
    ...Needs.answerTasks,
    ...Needs.checkChanges,
    ...Needs.probeHealth,
  ],
  input: watchBakesInput,
  async run(ports, input, signal) {
    const started = ports.now();
    const until = started.getTime() + input.windowSeconds * 1000;
    const owner = `watcher-${started.getTime()}-${Math.random().toString(36).slice(2, 10)}`;
    // The lease outlives the window by a margin: a watcher that overruns still keeps the next one out.
    const leaseUntil = new Date(until + 30_000);
    if (!(await ports.control.claimWatcher(owner, started, leaseUntil, signal))) {
      return { rounds: 0, completed: 0, skipped: 'another watcher is running' };
    }
    let total = { rounds: 0, completed: 0 };
    try {
      let watched: number;
      do {
        const summary = await watchBakesOnce(ports, signal);
        watched = summary.watched - summary.completed;
        total = { rounds: total.rounds + summary.probed, completed: total.completed + summary.completed };
        if (ports.now().getTime() + 1000 > until) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } while (!signal?.aborted);
      if (watched === 0) await sleepIfIdle(ports, signal);
    } finally {
      await ports.control.releaseWatcher(owner, signal);
    }
    return total;
  },
});

/**
 * No bake pending: turn the schedule off, then look once more, after the index has had time to show
 * a bake registered meanwhile, and turn it back on if there is one. (A bake missed even so is not
 * promoted, and its wait times out into a rollback: the safe side.)
 */
async function sleepIfIdle(ports: Ports, signal?: AbortSignal): Promise<void> {
  if (!ports.watcherSchedule) return;
  await ports.watcherSchedule.stop(signal);
  await new Promise((resolve) => setTimeout(resolve, SCHEDULE_SETTLE_MS));
  if ((await ports.control.listPending('bake', signal)).length > 0) await ports.watcherSchedule.start(signal);
}
