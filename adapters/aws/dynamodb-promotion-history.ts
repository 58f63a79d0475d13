import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { FinishedCutover } from '../../domain/promotion/promotion-order';
import type { PromotionHistory } from '../../ports/promotion-history';
import { rethrowAwsError } from './aws-errors';
import { ItemPrefix, TABLE_ARN } from './control-table-keys';
import { queryItems } from './query-items';

const OUTCOMES: readonly string[] = [
  'completed',
  'rolled_back',
  'failed',
] satisfies FinishedCutover['outcome'][];

/**
 * The outcomes another orchestrator recorded by promotion digest (pk `PROMOTION#<digest>`, written by its
 * record-outcome step through DynamoDbAuditLog), read from its control table.
 */
export class DynamoDbPromotionHistory implements PromotionHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    readonly environment: string,
  ) {}

  async finished(promotionDigest: string, signal?: AbortSignal): Promise<FinishedCutover[]> {
    const items = await queryItems(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': `${ItemPrefix.promotion}${promotionDigest}` },
      },
      signal,
    );
    return items
      .filter((item) => OUTCOMES.includes(String(item['outcome'])))
      .map((item) => ({
        environment: this.environment,
        planDigest: promotionDigest,
        execution: String(item['execution']),
        outcome: item['outcome'] as FinishedCutover['outcome'],
      }));
  }
}

/** Where the environment below records its outcomes, and the role of its account this one may assume. */
export interface PromotionSource {
  readonly environment: string;
  /** `arn:aws:dynamodb:<region>:<account>:table/<name>`: the control table of that environment's orchestrator. */
  readonly tableArn: string;
  /** A role in that account allowed only to Query `PROMOTION#…` items of that table. */
  readonly roleArn: string;
}

/**
 * The history of the environment below, usually in another account: read with the credentials of a role
 * there (a table encrypted with the AWS-managed key cannot be shared by a resource policy across accounts).
 */
export function crossAccountPromotionHistory(
  source: PromotionSource,
  sts: STSClient,
): DynamoDbPromotionHistory {
  const match = TABLE_ARN.exec(source.tableArn);
  if (!match) throw new Error(`promotion source: ${source.tableArn} is not a DynamoDB table ARN`);
  const [, region, , tableName] = match as unknown as [string, string, string, string];
  const client = new DynamoDBClient({ region, credentials: assumedRole(sts, source.roleArn) });
  return new DynamoDbPromotionHistory(DynamoDBDocumentClient.from(client), tableName, source.environment);
}

/** Temporary credentials of `roleArn` (the client memoizes them and asks again when they expire). */
function assumedRole(sts: STSClient, roleArn: string): AwsCredentialIdentityProvider {
  return async () => {
    const { Credentials: credentials } = await sts
      .send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'cutover-promotion-check',
          DurationSeconds: 900,
        }),
      )
      .catch(rethrowAwsError);
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
      throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    };
  };
}
