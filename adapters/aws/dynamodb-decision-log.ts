import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Decision, DecisionLog } from '../../ports/decision-log';
import { rethrowAwsError } from './aws-errors';
import { ItemPrefix } from './control-table-keys';
import { queryItems } from './query-items';
import { withSignal } from './send-options';

const SORT_PREFIX = 'DECISION#';

/** The partition of the execution's control item, where its decisions live too. */
const controlPk = (execution: string) => `${ItemPrefix.control}${execution}`;

/**
 * Operator decisions next to the execution's control item (pk `EXEC#<execution>`, sk
 * `DECISION#<at>#<id>`): written once (never overwritten), read in time order.
 */
export class DynamoDbDecisionLog implements DecisionLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(execution: string, decision: Decision, signal?: AbortSignal): Promise<void> {
    await this.client
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: controlPk(execution), sk: `${SORT_PREFIX}${decision.at}#${randomUUID()}`, ...decision },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk' },
        }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
  }

  async list(execution: string, signal?: AbortSignal): Promise<Decision[]> {
    const items = await queryItems(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': controlPk(execution), ':prefix': SORT_PREFIX },
        ConsistentRead: true,
      },
      signal,
    );
    return items.map((item) => ({
      at: String(item['at']),
      principal: String(item['principal']),
      action: item['action'] as Decision['action'],
      reason: String(item['reason']),
      result: String(item['result']),
    }));
  }
}
