import type { ExecutionContext } from '../../domain/context/execution-context';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { Deployer, DeploymentStatus } from '../../ports/deployer';
import { contextFields, contextInput } from '../contracts';
import type { Ports } from '../ports';
import { Needs } from '../access';
import { isoDateTime, nonEmpty, nullish, object } from '../input';
import { defineStep, ensureNoRollback, renewLease } from '../step';

interface Deploying {
  readonly ports: Ports;
  readonly context: ExecutionContext;
  readonly deployer: Deployer;
  readonly startedAt: string;
  /** What green ran before, as the deployer recorded it at start (null: nothing recorded). */
  readonly rollbackTo: string | null;
  readonly signal: AbortSignal | undefined;
}

/**
 * The step's answer to a deployment status. Giving up (a failed deployment, past the plan's deploy
 * timeout, or on an operator's rollback) first cancels what is still changing and returns green to
 * what it ran before, so the stop path leaves nothing half-done.
 */
async function outcome(deploying: Deploying, status: DeploymentStatus) {
  const { ports, context, deployer, startedAt, signal } = deploying;
  const rollbackTo = status.rollbackTo ?? deploying.rollbackTo;
  const giveUp = () => deployer.cancel?.(rollbackTo ?? undefined, signal);
  if (status.state === 'failed') {
    await giveUp();
    throw new CutoverError(
      ErrorNames.DeployFailed,
      `green deployment failed: ${status.reason ?? 'no reason given'}`,
    );
  }
  const limit = context.timeouts.deploySeconds;
  if (status.state === 'in_progress' && (ports.now().getTime() - Date.parse(startedAt)) / 1000 > limit) {
    await giveUp();
    const why = status.reason ? `: ${status.reason}` : '';
    throw new CutoverError(ErrorNames.DeployFailed, `green was not ready within ${limit}s${why}`);
  }
  if (status.changes) {
    // Shown before traffic moves: the deploy completes before the first shift.
    await ports.notifier.notify(
      {
        plan: context.plan,
        execution: context.execution,
        phase: 'deploy',
        outcome: 'progress',
        message: `green changes: ${status.changes.length ? status.changes.join('; ') : 'none'}`,
      },
      signal,
    );
  }
  return {
    done: status.state === 'complete',
    startedAt,
    // Always present (the next state's path must resolve); null when the deployer recorded nothing.
    rollbackTo,
    ...(status.changes ? { changes: status.changes } : {}),
  };
}

async function deploying(
  ports: Ports,
  context: ExecutionContext,
  started: { readonly startedAt: string; readonly rollbackTo: string | null },
  signal: AbortSignal | undefined,
): Promise<Deploying> {
  const deployer = ports.deployer(context.deploy, context.health.probes);
  try {
    await ensureNoRollback(ports, context.execution, signal);
  } catch (error) {
    await deployer.cancel?.(started.rollbackTo ?? undefined, signal);
    throw error;
  }
  return { ports, context, deployer, ...started, signal };
}

/** Starts (or converges to) the green deployment; idempotent, so a retry never deploys twice. */
export const startDeployStep = defineStep({
  name: 'start-deploy',
  idempotent: true,
  access: [
    ...Needs.readControl,
    ...Needs.probeHealth,
    ...Needs.startStack,
    ...Needs.watchStack,
    ...Needs.startService,
    ...Needs.notify,
  ],
  input: contextInput,
  async run(ports, { context }, signal) {
    const started = { startedAt: ports.now().toISOString(), rollbackTo: null };
    const state = await deploying(ports, context, started, signal);
    return outcome(state, await state.deployer.start(signal));
  },
});

export const checkDeployStep = defineStep({
  name: 'check-deploy',
  idempotent: true,
  access: [
    ...Needs.readControl,
    ...Needs.renewLocks,
    ...Needs.probeHealth,
    ...Needs.watchStack,
    ...Needs.cancelStack,
    ...Needs.watchService,
    ...Needs.rollBackService,
    ...Needs.notify,
  ],
  input: object({
    ...contextFields,
    startedAt: isoDateTime,
    rollbackTo: nullish(nonEmpty),
  }),
  async run(ports, { context, startedAt, rollbackTo }, signal) {
    const state = await deploying(ports, context, { startedAt, rollbackTo: rollbackTo ?? null }, signal);
    // A deploy that lost its lock stops what it started, like one rolled back by an operator.
    await renewLease(ports, context, signal).catch(async (error: unknown) => {
      await state.deployer.cancel?.(state.rollbackTo ?? undefined, signal);
      throw error;
    });
    return outcome(state, await state.deployer.status(signal));
  },
});
