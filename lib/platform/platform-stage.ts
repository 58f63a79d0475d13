import { Aspects, Stage, type StageProps } from 'aws-cdk-lib';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from './environments';
import { Guardrails } from './guardrails';
import { PlatformStack } from './platform-stack';

export interface PlatformStageProps extends StageProps {
  readonly environment: EnvironmentConfig;
  /** Index into `environment.regions`. */
  readonly regionIndex: number;
}

/** One environment in one region, under that environment's guardrails. */
export class PlatformStage extends Stage {
  readonly stack: PlatformStack;

  constructor(scope: Construct, id: string, props: PlatformStageProps) {
    const { environment, regionIndex } = props;
    const region = environment.regions[regionIndex];
    if (!region) throw new Error(`${id}: regionIndex ${regionIndex} is not a region of ${environment.name}`);
    super(scope, id, { ...props, env: { account: environment.account, region: region.region } });
    // S3 server access logs delivered under a bucket policy, not the legacy log-delivery ACL (which needs
    // ACLs enabled on the log bucket).
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.stack = new PlatformStack(this, 'Platform', {
      stackName: `cutover-platform-${environment.name}`,
      description: `cutover target platform: ${environment.name} in ${region.region}`,
      environmentName: environment.name,
      settings: environment.platform,
      region,
      auditTrail: regionIndex === 0,
    });
    Aspects.of(this).add(new Guardrails(environment.name, environment.limits));
  }
}

/** The stage id of an environment in a region, e.g. `prod-eu-west-1`. */
export function platformStageId(environment: EnvironmentConfig, regionIndex: number): string {
  return `${environment.name}-${environment.regions[regionIndex]!.region}`;
}
