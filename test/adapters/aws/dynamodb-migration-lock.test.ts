import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbMigrationLock } from '../../../adapters/aws/dynamodb-migration-lock';

const dynamo = mockClient(DynamoDBDocumentClient);
const now = new Date('2026-11-26T10:00:00.000Z');
const nowSeconds = now.getTime() / 1000;
const lock = new DynamoDbMigrationLock(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'cutover', {
  now: () => now,
});
const key = { hostedZoneId: 'Z0EXAMPLEPUBLIC', recordName: 'App.Example.com.' };
const lockItemKey = { pk: 'LOCK#Z0EXAMPLEPUBLIC#app.example.com', sk: 'LOCK' };

beforeEach(() => dynamo.reset());

describe('acquire', () => {
  it('puts the lock item unless another live owner holds it', async () => {
    dynamo.on(PutCommand).resolves({});

    await lock.acquire(key, 'exec-1', 3600);

    expect(dynamo).toReceiveCommandWith(PutCommand, {
      TableName: 'cutover',
      Item: {
        ...lockItemKey,
        owner: 'exec-1',
        acquiredAt: '2026-11-26T10:00:00.000Z',
        expiresAt: nowSeconds + 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner OR expiresAt < :now',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': 'exec-1', ':now': nowSeconds },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('fails when the lock is held by another execution, naming the holder', async () => {
    dynamo.on(PutCommand).rejects(
      new ConditionalCheckFailedException({
        $metadata: {},
        message: 'The conditional request failed',
        Item: {
          pk: { S: lockItemKey.pk },
          sk: { S: 'LOCK' },
          owner: { S: 'exec-0' },
          acquiredAt: { S: '2026-11-26T09:30:00.000Z' },
          expiresAt: { N: String(nowSeconds + 1800) },
        },
      }),
    );

    const attempt = lock.acquire(key, 'exec-1', 3600);

    await expect(attempt).rejects.toMatchObject({
      name: 'LockHeld',
      message:
        'record App.Example.com. in zone Z0EXAMPLEPUBLIC is locked by exec-0 until 2026-11-26T10:30:00.000Z',
    });
  });

  it('fails with Throttled when DynamoDB throttles', async () => {
    dynamo.on(PutCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(lock.acquire(key, 'exec-1', 3600)).rejects.toMatchObject({ name: 'Throttled' });
  });
});

describe('renew', () => {
  it('extends the lease from now, on the condition that the owner still holds the lock', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await lock.renew(key, 'exec-1', 7200);

    expect(dynamo).toReceiveCommandWith(UpdateCommand, {
      TableName: 'cutover',
      Key: lockItemKey,
      UpdateExpression: 'SET expiresAt = :expiresAt',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': 'exec-1', ':expiresAt': nowSeconds + 7200 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('fails with LockLost, naming the new holder, when another execution took the lock over', async () => {
    dynamo.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        $metadata: {},
        message: 'The conditional request failed',
        Item: { pk: { S: lockItemKey.pk }, sk: { S: 'LOCK' }, owner: { S: 'exec-2' } },
      }),
    );

    await expect(lock.renew(key, 'exec-1', 7200)).rejects.toMatchObject({
      name: 'LockLost',
      message:
        'record App.Example.com. in zone Z0EXAMPLEPUBLIC is no longer locked by exec-1: exec-2 holds it',
    });
  });

  it('fails with LockLost when the lock is gone', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
      );

    await expect(lock.renew(key, 'exec-1', 7200)).rejects.toMatchObject({
      name: 'LockLost',
      message: expect.stringContaining('the lock is gone'),
    });
  });
});

describe('release', () => {
  it('deletes the lock only if the owner still holds it', async () => {
    dynamo.on(DeleteCommand).resolves({});

    await lock.release(key, 'exec-1');

    expect(dynamo).toReceiveCommandWith(DeleteCommand, {
      TableName: 'cutover',
      Key: lockItemKey,
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': 'exec-1' },
    });
  });

  it('is a no-op when the lock was already released or taken over', async () => {
    dynamo
      .on(DeleteCommand)
      .rejects(
        new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
      );

    await expect(lock.release(key, 'exec-1')).resolves.toBeUndefined();
  });
});
