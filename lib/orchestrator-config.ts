import type { Node } from 'constructs';
import { parseAllowedProbeTargets, PROBE_ALLOW_LIST_KEY } from '../domain/plan/probe-target';
import { parseAllowedRecords, type AllowedZone } from '../domain/allowed-records';
import { readPromotionConfig, readPromotionReaders, type PromotionConfig } from './promotion-config';
import { contextString, contextStringList } from './context-values';
import { ROLE_ARN } from './iam-arns';
import { DATABASE_VPC_CONTEXT, parseDatabaseVpc, type DatabaseVpcConfig } from './database-vpc-config';

/** What one orchestrator may touch, from cdk.json context; everything not listed is refused. */
export interface OrchestratorConfig {
  /** `cutover:allowedRecords`: hosted zones and the record names in them. */
  readonly allowedZones: readonly AllowedZone[];
  /** `cutover:databaseSecretArns`: the connection secrets database steps may read. @default none */
  readonly databaseSecretArns: readonly string[];
  /** `cutover:deployStacks`: the green CloudFormation stacks the deploy step may create or update. @default none */
  readonly deployStacks: readonly string[];
  /**
   * `cutover:cloudFormationRoleArn`: the service role those stacks deploy with. Required with
   * `deployStacks`: without it the stack would deploy with the step's own role, which may touch nothing.
   * @default none
   */
  readonly cloudFormationRoleArn?: string;
  /** `cutover:rdsBlueGreenDeployments`: the RDS Blue/Green deployment ids (`bgd-…`) plans may switch over. @default none */
  readonly rdsBlueGreenDeployments?: readonly string[];
  /** `cutover:rdsInstances`: the RDS DB instance ids plans may read and promote (read replicas and their sources). @default none */
  readonly rdsInstances?: readonly string[];
  /** `cutover:deployServices`: the green ECS services the deploy step may update, as `cluster/service`. @default none */
  readonly deployServices?: readonly string[];
  /**
   * `cutover:ecsTaskRoleArns`: the task and execution roles of those services' task definitions (a new
   * revision passes them on to ECS). @default none
   */
  readonly ecsTaskRoleArns?: readonly string[];
  /** `cutover:allowedProbeTargets`: private addresses or CIDR blocks health probes may reach. @default none */
  readonly allowedProbeTargets?: readonly string[];
  /** `cutover:notificationTopicArns`: the SNS topics plans may name in `notifications.snsTopicArn`. @default none */
  readonly notificationTopicArns?: readonly string[];
  /** `cutover:environment` and `cutover:promotionSource`: the promotion order. @default - none: plans start as they come */
  readonly promotion?: PromotionConfig;
  /** `cutover:promotionReaders`: who in the environment above may read the promotion records. @default none */
  readonly promotionReaders?: readonly string[];
  /**
   * `cutover:databaseVpc`: the VPC, subnets and security group the steps that connect to a database run
   * in, and whether to create VPC endpoints there. @default - outside any VPC
   */
  readonly databaseVpc?: DatabaseVpcConfig;
}

export function readOrchestratorConfig(node: Node): OrchestratorConfig {
  const cloudFormationRoleArn = contextString(node, 'cutover:cloudFormationRoleArn', ROLE_ARN);
  const deployStacks = contextStringList(node, 'cutover:deployStacks', /^[A-Za-z][A-Za-z0-9-]{0,127}$/);
  if (deployStacks.length > 0 && !cloudFormationRoleArn) {
    throw new Error(
      'cdk.json context "cutover:cloudFormationRoleArn": required when "cutover:deployStacks" is set; without a service role the stack deploys with the step\'s own role and every resource fails',
    );
  }
  const promotion = readPromotionConfig(node);
  const promotionReaders = readPromotionReaders(node);
  const databaseVpc = parseDatabaseVpc(node.tryGetContext(DATABASE_VPC_CONTEXT));
  return {
    allowedZones: parseAllowedRecords(node.tryGetContext('cutover:allowedRecords')),
    databaseSecretArns: contextStringList(
      node,
      'cutover:databaseSecretArns',
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
    ),
    deployStacks,
    deployServices: contextStringList(
      node,
      'cutover:deployServices',
      /^[A-Za-z0-9_-]{1,255}\/[A-Za-z0-9_-]{1,255}$/,
    ),
    ecsTaskRoleArns: contextStringList(node, 'cutover:ecsTaskRoleArns', ROLE_ARN),
    rdsBlueGreenDeployments: contextStringList(node, 'cutover:rdsBlueGreenDeployments', /^bgd-[a-z0-9]+$/),
    rdsInstances: contextStringList(node, 'cutover:rdsInstances', /^[A-Za-z][A-Za-z0-9-]{0,62}$/),
    notificationTopicArns: contextStringList(
      node,
      'cutover:notificationTopicArns',
      /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/,
    ),
    allowedProbeTargets: parseAllowedProbeTargets(
      node.tryGetContext(PROBE_ALLOW_LIST_KEY),
      `cdk.json context "${PROBE_ALLOW_LIST_KEY}"`,
    ),
    ...(cloudFormationRoleArn ? { cloudFormationRoleArn } : {}),
    ...(promotion ? { promotion } : {}),
    ...(promotionReaders.length > 0 ? { promotionReaders } : {}),
    ...(databaseVpc ? { databaseVpc } : {}),
  };
}
