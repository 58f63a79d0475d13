import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  ControlSignals,
  ExecutionControl,
  PendingKind,
  PendingWait,
  RollbackRequest,
} from '../../ports/control-signals';
import { ItemPrefix, PENDING_INDEX } from './control-table-keys';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

const EXEC_PREFIX = ItemPrefix.control;
/** Sparse GSI: only items with a pending wait carry `pendingKind` (partition key) next to `pk` (sort key). */

// Attribute names always go through aliases (#name) so that none can clash with a DynamoDB reserved word.

/**
 * The control item of an execution (pk `EXEC#<execution>`, sk `CONTROL`). It holds task tokens: never log
 * the items this class reads or writes.
 */
export class DynamoDbControlSignals implements ControlSignals {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(execution: string, signal?: AbortSignal): Promise<ExecutionControl> {
    const { Item } = await this.client
      .send(
        new GetCommand({ TableName: this.tableName, Key: key(execution), ConsistentRead: true }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
    return toControl(execution, Item);
  }

  async requestRollback(
    execution: string,
    request: RollbackRequest,
    signal?: AbortSignal,
  ): Promise<ExecutionControl> {
    try {
      // No ReturnValues: a role allowed to write only `rollback` may not read the whole item back
      // through the update (IAM allows NONE or UPDATED_* there); it reads it consistently instead.
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(execution),
          UpdateExpression: 'SET #rollback = :rollback',
          ConditionExpression: 'attribute_not_exists(#rollback)',
          ExpressionAttributeNames: { '#rollback': 'rollback' },
          ExpressionAttributeValues: { ':rollback': request },
        }),
        withSignal(signal),
      );
    } catch (error) {
      // The first request wins: report the one already recorded.
      if (!(error instanceof ConditionalCheckFailedException)) rethrowAwsError(error);
    }
    return this.get(execution, signal);
  }

  async setPending(execution: string, pending: PendingWait, signal?: AbortSignal): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(execution),
          UpdateExpression: 'SET #pending = :pending, #kind = :kind',
          ExpressionAttributeNames: { '#pending': 'pending', '#kind': 'pendingKind' },
          ExpressionAttributeValues: { ':pending': pending, ':kind': pending.kind },
        }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
  }

  async clearPending(execution: string, taskToken: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(execution),
          UpdateExpression: 'REMOVE #pending, #kind',
          ConditionExpression: '#pending.#token = :token',
          ExpressionAttributeNames: { '#pending': 'pending', '#kind': 'pendingKind', '#token': 'taskToken' },
          ExpressionAttributeValues: { ':token': taskToken },
        }),
        withSignal(signal),
      );
    } catch (error) {
      // Already cleared, or replaced by a newer wait that is not ours to clear.
      if (error instanceof ConditionalCheckFailedException) return;
      rethrowAwsError(error);
    }
  }

  async listPending(kind: PendingKind, signal?: AbortSignal): Promise<ExecutionControl[]> {
    const controls: ExecutionControl[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client
        .send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: PENDING_INDEX,
            KeyConditionExpression: '#kind = :kind',
            ExpressionAttributeNames: { '#kind': 'pendingKind' },
            ExpressionAttributeValues: { ':kind': kind },
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
          withSignal(signal),
        )
        .catch(rethrowAwsError);
      for (const item of page.Items ?? []) {
        const pk = item['pk'];
        if (typeof pk === 'string' && pk.startsWith(EXEC_PREFIX)) {
          controls.push(toControl(pk.slice(EXEC_PREFIX.length), item));
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return controls;
  }
}

function key(execution: string): { pk: string; sk: string } {
  return { pk: `${EXEC_PREFIX}${execution}`, sk: 'CONTROL' };
}

function toControl(execution: string, item: Record<string, unknown> | undefined): ExecutionControl {
  const rollback = item?.['rollback'] as RollbackRequest | undefined;
  const pending = item?.['pending'] as PendingWait | undefined;
  return {
    execution,
    ...(rollback === undefined ? {} : { rollback }),
    ...(pending === undefined ? {} : { pending }),
  };
}
