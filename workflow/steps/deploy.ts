import * as z from 'zod';
import { durationSeconds } from '../../domain/duration';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { Plan } from '../../domain/plan/schema';
import { Timing } from '../../domain/schedule/timing';
import type { DeploymentStatus } from '../../ports/deployer';
import { stepBase } from '../contracts';
import { defineStep, ensureNoRollback, planOf } from '../step';

function deployTimeoutSeconds(plan: Plan): number {
  return plan.deploy.kind === 'cloudformation'
    ? durationSeconds(plan.deploy.timeout)
    : Timing.verifyDeployed.worst;
}

function outcome(status: DeploymentStatus, startedAt: string, plan: Plan, now: Date) {
  if (status.state === 'failed') {
    throw new CutoverError(
      ErrorNames.DeployFailed,
      `green deployment failed: ${status.reason ?? 'no reason given'}`,
    );
  }
  const limit = deployTimeoutSeconds(plan);
  if (status.state === 'in_progress' && (now.getTime() - Date.parse(startedAt)) / 1000 > limit) {
    const why = status.reason ? `: ${status.reason}` : '';
    throw new CutoverError(ErrorNames.DeployFailed, `green was not ready within ${limit}s${why}`);
  }
  return { done: status.state === 'complete', startedAt };
}

/** Starts (or converges to) the green deployment; idempotent, so a retry never deploys twice. */
export const startDeployStep = defineStep({
  name: 'start-deploy',
  input: stepBase,
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    const plan = planOf(input);
    const now = ports.now();
    return outcome(await ports.deployer(plan).start(signal), now.toISOString(), plan, now);
  },
});

export const checkDeployStep = defineStep({
  name: 'check-deploy',
  input: stepBase.extend({ startedAt: z.iso.datetime() }),
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    const plan = planOf(input);
    return outcome(await ports.deployer(plan).status(signal), input.startedAt, plan, ports.now());
  },
});
