import * as z from 'zod';
import { ErrorNames } from '../../domain/errors';
import { judgeRound, NO_ROUNDS } from '../../domain/health/verdict';
import type { HealthSpec } from '../../domain/context/execution-context';
import type { ExecutionControl } from '../../ports/control-signals';
import { contextInput, shiftStepSchema, ticketsSchema } from '../contracts';
import { describeRound, probeRound } from '../probe-round';
import type { Ports } from '../ports';
import { Needs } from '../access';
import { defineStep, ensureNoRollback } from '../step';

const countersSchema = z.object({
  rounds: z.number().int(),
  consecutiveFailures: z.number().int(),
  consecutiveInconclusive: z.number().int(),
});

/** What a pending bake keeps in the control record between the watcher's rounds. */
const bakeDetailSchema = z.object({
  health: z.custom<HealthSpec>((value) => typeof value === 'object' && value !== null),
  stepIndex: z.number().int(),
  greenPercent: z.number(),
  /** The weight change to wait for; the bake's clock starts once it is INSYNC. */
  tickets: ticketsSchema,
  /** TTL + bake: how long after INSYNC a healthy round promotes the step. */
  holdSeconds: z.number().min(0),
  inSyncAt: z.iso.datetime().optional(),
  nextProbeAt: z.iso.datetime(),
  counters: countersSchema,
});
type BakeDetail = z.infer<typeof bakeDetailSchema>;

/**
 * Registers a bake right after the weights are set: the state machine then waits on the task token
 * (a single history event however long the bake), and the health watcher completes it. Health is
 * judged from the first moment, so a failing green is caught while the change still propagates;
 * promotion needs the change INSYNC, one TTL, then the whole bake.
 */
export const startBakeStep = defineStep({
  name: 'start-bake',
  access: [...Needs.readControl, ...Needs.setPending],
  input: contextInput.extend({
    step: shiftStepSchema,
    tickets: ticketsSchema,
    taskToken: z.string().min(1),
  }),
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
    return { registered: true };
  },
});

export interface WatchSummary {
  readonly watched: number;
  readonly probed: number;
  readonly completed: number;
}

/** One pass of the health watcher over every pending bake. */
export async function watchBakesOnce(ports: Ports, signal?: AbortSignal): Promise<WatchSummary> {
  const pending = await ports.control.listPending('bake', signal);
  let probed = 0;
  let completed = 0;
  for (const control of pending) {
    const result = await watchBake(ports, control, signal);
    if (result !== 'waiting') probed += 1;
    if (result === 'completed') completed += 1;
  }
  return { watched: pending.length, probed, completed };
}

async function watchBake(
  ports: Ports,
  control: ExecutionControl,
  signal?: AbortSignal,
): Promise<'waiting' | 'probed' | 'completed'> {
  const pending = control.pending;
  if (!pending) return 'waiting';
  const detail = bakeDetailSchema.parse(pending.detail);
  const finish = async (outcome: { error: string; cause: string } | { output: Record<string, unknown> }) => {
    if ('output' in outcome) await ports.callbacks.succeed(pending.taskToken, outcome.output, signal);
    else await ports.callbacks.fail(pending.taskToken, outcome.error, outcome.cause, signal);
    await ports.control.clearPending(control.execution, pending.taskToken, signal);
    return 'completed' as const;
  };
  const where = `step ${detail.stepIndex + 1} (${detail.greenPercent} % green)`;
  if (control.rollback) {
    return finish({
      error: ErrorNames.OperatorRollback,
      cause: `rollback requested by ${control.rollback.actor} during ${where}: ${control.rollback.reason}`,
    });
  }
  const now = ports.now();
  if (now < new Date(detail.nextProbeAt)) return 'waiting';

  const inSyncAt =
    detail.inSyncAt ??
    ((await ports.traffic.isInSync(detail.tickets, signal)) ? now.toISOString() : undefined);
  const round = await probeRound(ports, detail.health.probes, signal);
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
      const intervalMs = detail.health.intervalSeconds * 1000;
      const next = {
        ...detail,
        ...(inSyncAt ? { inSyncAt } : {}),
        counters,
        nextProbeAt: new Date(now.getTime() + intervalMs).toISOString(),
      };
      await ports.control.setPending(control.execution, { ...pending, detail: next }, signal);
      return 'probed';
    }
  }
}

/**
 * The scheduled health watcher: keeps probing pending bakes for `windowSeconds` (one scheduler tick),
 * so probe intervals shorter than the schedule's minute are honoured.
 */
export const watchBakesStep = defineStep({
  name: 'watch-bakes',
  access: [...Needs.watchPending, ...Needs.answerTasks, ...Needs.checkChanges, ...Needs.probeHealth],
  input: z.object({ windowSeconds: z.number().min(0).max(840).default(55) }).default({ windowSeconds: 55 }),
  async run(ports, input, signal) {
    const until = ports.now().getTime() + input.windowSeconds * 1000;
    let total = { rounds: 0, completed: 0 };
    do {
      const summary = await watchBakesOnce(ports, signal);
      total = { rounds: total.rounds + summary.probed, completed: total.completed + summary.completed };
      if (ports.now().getTime() + 1000 > until) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } while (!signal?.aborted);
    return total;
  },
});
