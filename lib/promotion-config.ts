import type { Node } from 'constructs';
import { TABLE_ARN } from '../adapters/aws/control-table-keys';
import { contextStringList } from './context-values';
import { ACCOUNT_ID_OR_ROLE_ARN, ROLE_ARN } from './iam-arns';
import { readEnvironments } from './platform/environments';

/** Where this orchestrator sits in the promotion order (`cutover:environment`), and how it reads the one below. */
export interface PromotionConfig {
  /** The environments, lowest first (`cutover:environments`). */
  readonly environments: readonly string[];
  /** This orchestrator's environment. */
  readonly environment: string;
  /**
   * `cutover:promotionSource`: the environment below's control table and a role in its account that this
   * one may assume to read its promotion records (that orchestrator's `ControlTableArn` and
   * `PromotionReaderRoleArn` outputs). Required above the lowest environment.
   */
  readonly source?: { readonly tableArn: string; readonly roleArn: string };
}

/** `cutover:environment` with its `cutover:promotionSource`; undefined when no environment is set. */
export function readPromotionConfig(node: Node): PromotionConfig | undefined {
  const environment: unknown = node.tryGetContext('cutover:environment');
  const source: unknown = node.tryGetContext('cutover:promotionSource');
  if (environment === undefined) {
    if (source !== undefined) {
      throw new Error(
        'cdk.json context "cutover:promotionSource": set only with "cutover:environment" (the environment this orchestrator serves)',
      );
    }
    return undefined;
  }
  const environments = readEnvironments(node).map((entry) => entry.name);
  const index = typeof environment === 'string' ? environments.indexOf(environment) : -1;
  if (index === -1) {
    throw new Error(
      `cdk.json context "cutover:environment": ${JSON.stringify(environment)} is not one of "cutover:environments" (${environments.join(', ') || 'none configured'})`,
    );
  }
  const name = environment as string;
  if (index === 0) {
    if (source !== undefined) {
      throw new Error(
        `cdk.json context "cutover:promotionSource": ${name} is the lowest environment, with nothing below it to read; remove it`,
      );
    }
    return { environments, environment: name };
  }
  const below = environments[index - 1]!;
  const { tableArn, roleArn } = (source ?? {}) as { tableArn?: unknown; roleArn?: unknown };
  const keys = source !== null && typeof source === 'object' ? Object.keys(source) : [];
  if (
    typeof tableArn !== 'string' ||
    !TABLE_ARN.test(tableArn) ||
    typeof roleArn !== 'string' ||
    !ROLE_ARN.test(roleArn) ||
    keys.length !== 2
  ) {
    throw new Error(
      `cdk.json context "cutover:promotionSource": required for ${name} as { "tableArn": "arn:aws:dynamodb:<region>:<account>:table/<name>", "roleArn": "arn:aws:iam::<account>:role/<name>" }, the ControlTableArn and PromotionReaderRoleArn outputs of ${below}'s orchestrator; got ${JSON.stringify(source)}`,
    );
  }
  return { environments, environment: name, source: { tableArn, roleArn } };
}

/**
 * `cutover:promotionReaders`: who, in the environment above, may read this orchestrator's promotion records
 * (12-digit account ids, or role ARNs). @default none, and no reader role
 */
export function readPromotionReaders(node: Node): string[] {
  return contextStringList(
    node,
    'cutover:promotionReaders',
    ACCOUNT_ID_OR_ROLE_ARN,
    'a list of 12-digit account ids or IAM role ARNs',
  );
}
