import { normalizeRecordName } from '../../domain/dns/record-name';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CutoverError } from '../../domain/errors';
import { describeLockKey, lockLost } from '../../domain/context/execution-context';
import type { LockKey, MigrationLock } from '../../ports/migration-lock';
import { rethrowAwsError } from './aws-errors';
import { ItemPrefix } from './control-table-keys';
import { withSignal } from './send-options';

export interface DynamoDbMigrationLockOptions {
  /** @default - the system clock */
  readonly now?: () => Date;
}

/** One lock item per (hosted zone, record); `expiresAt` is also the table's TTL attribute. */
export class DynamoDbMigrationLock implements MigrationLock {
  private readonly now: () => Date;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDbMigrationLockOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async acquire(key: LockKey, owner: string, ttlSeconds: number, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...lockKey(key),
            owner,
            acquiredAt: now.toISOString(),
            expiresAt: nowSeconds + ttlSeconds,
          },
          // TTL deletion lags by up to days, so an expired lock is taken over here rather than waited for.
          ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner OR expiresAt < :now',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner, ':now': nowSeconds },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        withSignal(signal),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw lockHeld(key, error);
      rethrowAwsError(error);
    }
  }

  async renew(key: LockKey, owner: string, ttlSeconds: number, signal?: AbortSignal): Promise<void> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: lockKey(key),
          UpdateExpression: 'SET expiresAt = :expiresAt',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner, ':expiresAt': nowSeconds + ttlSeconds },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        withSignal(signal),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw lockLost(key, owner, error.Item?.['owner']?.S);
      rethrowAwsError(error);
    }
  }

  async release(key: LockKey, owner: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: lockKey(key),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
        withSignal(signal),
      );
    } catch (error) {
      // Already released, expired and taken over, or never held: nothing of ours to release.
      if (error instanceof ConditionalCheckFailedException) return;
      rethrowAwsError(error);
    }
  }
}

function lockKey(key: LockKey): { pk: string; sk: string } {
  const record = normalizeRecordName(key.recordName);
  return { pk: `${ItemPrefix.lock}${key.hostedZoneId}#${record}`, sk: 'LOCK' };
}

function lockHeld(key: LockKey, error: ConditionalCheckFailedException): CutoverError {
  // The document client does not unmarshall the item attached to the exception.
  const holder = error.Item?.['owner']?.S ?? 'another execution';
  const expiresAt = Number(error.Item?.['expiresAt']?.N);
  const until = Number.isFinite(expiresAt) ? new Date(expiresAt * 1000).toISOString() : 'it expires';
  return new CutoverError('LockHeld', `${describeLockKey(key)} is locked by ${holder} until ${until}`);
}
