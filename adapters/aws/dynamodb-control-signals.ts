import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  ControlSignals,
  ExecutionControl,
  PendingKind,
  PendingWait,
  RollbackRequest,
} from '../../ports/control-signals';
import { writeIf } from './conditional-write';
import { ItemPrefix, PENDING_INDEX } from './control-table-keys';
import { rethrowAwsError } from './aws-errors';
import { queryItems } from './query-items';
import { withSignal } from './send-options';

const EXEC_PREFIX = ItemPrefix.control;
/** The health watcher's lease: one item, held by the running watcher. */
const WATCHER_LEASE = { pk: `${ItemPrefix.watcher}lease`, sk: 'LEASE' };
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
    // No ReturnValues: a role allowed to write only `rollback` may not read the whole item back through
    // the update (IAM allows NONE or UPDATED_* there). The first request wins; the record is read back.
    await writeIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(execution),
        UpdateExpression: 'SET #rollback = :rollback',
        ConditionExpression: 'attribute_not_exists(#rollback)',
        ExpressionAttributeNames: { '#rollback': 'rollback' },
        ExpressionAttributeValues: { ':rollback': request },
      }),
      signal,
    );
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

  /** False when the wait was answered, cleared or replaced since it was read: not ours to write. */
  updatePending(
    execution: string,
    taskToken: string,
    detail: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<boolean> {
    return writeIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(execution),
        UpdateExpression: 'SET #pending.#detail = :detail',
        ConditionExpression: '#pending.#token = :token',
        ExpressionAttributeNames: { '#pending': 'pending', '#detail': 'detail', '#token': 'taskToken' },
        ExpressionAttributeValues: { ':detail': detail, ':token': taskToken },
      }),
      signal,
    );
  }

  claimWatcher(owner: string, now: Date, until: Date, signal?: AbortSignal): Promise<boolean> {
    return writeIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: WATCHER_LEASE,
        UpdateExpression: 'SET #owner = :owner, #until = :until',
        ConditionExpression: 'attribute_not_exists(#owner) OR #owner = :owner OR #until < :now',
        ExpressionAttributeNames: { '#owner': 'owner', '#until': 'until' },
        ExpressionAttributeValues: {
          ':owner': owner,
          ':until': until.toISOString(),
          ':now': now.toISOString(),
        },
      }),
      signal,
    );
  }

  /** Releases the lease if still ours (an expired lease may already be the next watcher's). */
  async releaseWatcher(owner: string, signal?: AbortSignal): Promise<void> {
    await writeIf(
      this.client,
      new DeleteCommand({
        TableName: this.tableName,
        Key: WATCHER_LEASE,
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
      signal,
    );
  }

  /** Clears the wait if it is still the one holding `taskToken` (a newer wait is not ours to clear). */
  async clearPending(execution: string, taskToken: string, signal?: AbortSignal): Promise<void> {
    await writeIf(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(execution),
        UpdateExpression: 'REMOVE #pending, #kind',
        ConditionExpression: '#pending.#token = :token',
        ExpressionAttributeNames: { '#pending': 'pending', '#kind': 'pendingKind', '#token': 'taskToken' },
        ExpressionAttributeValues: { ':token': taskToken },
      }),
      signal,
    );
  }

  async listPending(kind: PendingKind, signal?: AbortSignal): Promise<ExecutionControl[]> {
    const items = await queryItems(
      this.client,
      {
        TableName: this.tableName,
        IndexName: PENDING_INDEX,
        KeyConditionExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'pendingKind' },
        ExpressionAttributeValues: { ':kind': kind },
      },
      signal,
    );
    return items.flatMap((item) => {
      const pk = item['pk'];
      return typeof pk === 'string' && pk.startsWith(EXEC_PREFIX)
        ? [toControl(pk.slice(EXEC_PREFIX.length), item)]
        : [];
    });
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
