import type { Ports } from '../../workflow/ports';
import { STEP_ENV } from '../../workflow/step-environment';
import { verifyOnlyDeployer } from '../../workflow/verify-only-deployer';
import { deferred, onceAsync } from './deferred';
import { healthProbes } from './health';

const cloudFormation = onceAsync(
  async () => new (await import('@aws-sdk/client-cloudformation')).CloudFormationClient({}),
);

/** A CloudFormation stack, or (deploy: none) green's own probes. */
export const deployer = (): Ports['deployer'] => (deploy, probes) => {
  if (deploy.kind === 'none') return verifyOnlyDeployer({ healthProbes: healthProbes() }, probes);
  const roleArn = process.env[STEP_ENV.cloudFormationRole];
  return deferred(async () => {
    const { CloudFormationDeployer } = await import('../../adapters/aws/cloudformation-deployer.js');
    return new CloudFormationDeployer(await cloudFormation(), { ...deploy, ...(roleArn ? { roleArn } : {}) });
  });
};
