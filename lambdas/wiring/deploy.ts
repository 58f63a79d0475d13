import type { Ports } from '../../workflow/ports';
import { STEP_ENV } from '../../workflow/step-environment';
import { verifyOnlyDeployer } from '../../workflow/verify-only-deployer';
import { deferred } from './deferred';
import { healthProbes } from './health';

/** A CloudFormation stack, an ECS service, or (deploy: none) green's own probes; SDKs load on first call. */
export const deployer = (): Ports['deployer'] => (deploy, probes) => {
  switch (deploy.kind) {
    case 'none':
      return verifyOnlyDeployer({ healthProbes: healthProbes() }, probes);
    case 'cloudformation': {
      const roleArn = process.env[STEP_ENV.cloudFormationRole];
      return deferred(async () => {
        const [{ CloudFormationClient }, { CloudFormationDeployer }] = await Promise.all([
          import('@aws-sdk/client-cloudformation'),
          import('../../adapters/aws/cloudformation-deployer.js'),
        ]);
        return new CloudFormationDeployer(new CloudFormationClient({}), {
          ...deploy,
          ...(roleArn ? { roleArn } : {}),
        });
      });
    }
    case 'ecs':
      return deferred(async () => {
        const [{ ECSClient }, { EcsDeployer }] = await Promise.all([
          import('@aws-sdk/client-ecs'),
          import('../../adapters/aws/ecs-deployer.js'),
        ]);
        return new EcsDeployer(new ECSClient({}), deploy);
      });
  }
};
