import type { Node } from 'constructs';
import { parseAllowedProbeTargets, PROBE_ALLOW_LIST_KEY } from '../domain/plan/probe-target';
import { parseAllowedRecords, type AllowedZone } from '../domain/allowed-records';

/** What one orchestrator may touch, from cdk.json context; everything not listed is refused. */
export interface OrchestratorConfig {
  /** `cutover:allowedRecords`: hosted zones and the record names in them. */
  readonly allowedZones: readonly AllowedZone[];
  /** `cutover:databaseSecretArns`: the connection secrets database steps may read. @default none */
  readonly databaseSecretArns: readonly string[];
  /** `cutover:deployStacks`: the green CloudFormation stacks the deploy step may create or update. @default none */
  readonly deployStacks: readonly string[];
  /** `cutover:cloudFormationRoleArn`: the service role those stacks deploy with. @default none */
  readonly cloudFormationRoleArn?: string;
  /** `cutover:allowedProbeTargets`: private addresses or CIDR blocks health probes may reach. @default none */
  readonly allowedProbeTargets?: readonly string[];
  /** `cutover:notificationTopicArns`: the SNS topics plans may name in `notifications.snsTopicArn`. @default none */
  readonly notificationTopicArns?: readonly string[];
}

export function readOrchestratorConfig(node: Node): OrchestratorConfig {
  const cloudFormationRoleArn = optionalString(
    node,
    'cutover:cloudFormationRoleArn',
    /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/,
  );
  return {
    allowedZones: parseAllowedRecords(node.tryGetContext('cutover:allowedRecords')),
    databaseSecretArns: stringList(
      node,
      'cutover:databaseSecretArns',
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
    ),
    deployStacks: stringList(node, 'cutover:deployStacks', /^[A-Za-z][A-Za-z0-9-]{0,127}$/),
    notificationTopicArns: stringList(
      node,
      'cutover:notificationTopicArns',
      /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/,
    ),
    allowedProbeTargets: parseAllowedProbeTargets(
      node.tryGetContext(PROBE_ALLOW_LIST_KEY),
      `cdk.json context "${PROBE_ALLOW_LIST_KEY}"`,
    ),
    ...(cloudFormationRoleArn ? { cloudFormationRoleArn } : {}),
  };
}

function stringList(node: Node, key: string, pattern: RegExp): string[] {
  const value: unknown = node.tryGetContext(key) ?? [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && pattern.test(item))) {
    throw new Error(`cdk.json context "${key}": expected a list of strings matching ${pattern}`);
  }
  return value;
}

function optionalString(node: Node, key: string, pattern: RegExp): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new Error(`cdk.json context "${key}": expected a string matching ${pattern}`);
  }
  return value;
}
