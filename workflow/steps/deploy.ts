import { CutoverError, ErrorNames } from '../../domain/errors';
import type { DeploymentStatus } from '../../ports/deployer';
import { stepBase } from '../contracts';
import { defineStep, ensureNoRollback, planOf } from '../step';

function outcome(status: DeploymentStatus): { done: boolean } {
  if (status.state === 'failed') {
    throw new CutoverError(
      ErrorNames.DeployFailed,
      `green deployment failed: ${status.reason ?? 'no reason given'}`,
    );
  }
  return { done: status.state === 'complete' };
}

/** Starts (or converges to) the green deployment; idempotent, so a retry never deploys twice. */
export const startDeployStep = defineStep({
  name: 'start-deploy',
  input: stepBase,
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    return outcome(await ports.deployer(planOf(input)).start(signal));
  },
});

export const checkDeployStep = defineStep({
  name: 'check-deploy',
  input: stepBase,
  async run(ports, input, signal) {
    await ensureNoRollback(ports, input.execution, signal);
    return outcome(await ports.deployer(planOf(input)).status(signal));
  },
});
