import * as z from 'zod';
import type { ExecutionContext } from '../../domain/context/execution-context';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { DeploymentStatus } from '../../ports/deployer';
import { contextInput } from '../contracts';
import type { Ports } from '../ports';
import { Needs } from '../access';
import { defineStep, ensureNoRollback } from '../step';

function outcome(status: DeploymentStatus, startedAt: string, context: ExecutionContext, now: Date) {
  if (status.state === 'failed') {
    throw new CutoverError(
      ErrorNames.DeployFailed,
      `green deployment failed: ${status.reason ?? 'no reason given'}`,
    );
  }
  const limit = context.timeouts.deploySeconds;
  if (status.state === 'in_progress' && (now.getTime() - Date.parse(startedAt)) / 1000 > limit) {
    const why = status.reason ? `: ${status.reason}` : '';
    throw new CutoverError(ErrorNames.DeployFailed, `green was not ready within ${limit}s${why}`);
  }
  return { done: status.state === 'complete', startedAt };
}

function deployerOf(ports: Ports, context: ExecutionContext) {
  return ports.deployer(context.deploy, context.health.probes);
}

/** Starts (or converges to) the green deployment; idempotent, so a retry never deploys twice. */
export const startDeployStep = defineStep({
  name: 'start-deploy',
  access: [
    ...Needs.readControl,
    ...Needs.probeHealth,
    ...Needs.startStack,
    ...Needs.watchStack,
    ...Needs.startService,
  ],
  input: contextInput,
  async run(ports, { context }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    const now = ports.now();
    return outcome(await deployerOf(ports, context).start(signal), now.toISOString(), context, now);
  },
});

export const checkDeployStep = defineStep({
  name: 'check-deploy',
  access: [...Needs.readControl, ...Needs.probeHealth, ...Needs.watchStack, ...Needs.watchService],
  input: contextInput.extend({ startedAt: z.iso.datetime() }),
  async run(ports, { context, startedAt }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    return outcome(await deployerOf(ports, context).status(signal), startedAt, context, ports.now());
  },
});
