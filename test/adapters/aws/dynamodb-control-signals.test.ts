import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbControlSignals } from '../../../adapters/aws/dynamodb-control-signals';
import type { PendingWait, RollbackRequest } from '../../../ports/control-signals';

const dynamo = mockClient(DynamoDBDocumentClient);
const signals = new DynamoDbControlSignals(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'cutover');
const execution = 'arn:aws:states:eu-west-1:123456789012:execution:cutover:web-to-fargate-1';
const key = { pk: `EXEC#${execution}`, sk: 'CONTROL' };

const rollback: RollbackRequest = {
  actor: 'alice',
  reason: '5xx on green',
  requestedAt: '2026-11-26T10:05:00.000Z',
};
const bake: PendingWait = {
  kind: 'bake',
  taskToken: 'AQB4AAAAKgAAAAMAAAAA-token',
  since: '2026-11-26T10:00:00.000Z',
  detail: { deadline: '2026-11-26T10:05:00.000Z', failures: 0 },
};

beforeEach(() => dynamo.reset());

describe('get', () => {
  it('returns the execution with its rollback and pending wait', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...key, rollback, pending: bake, pendingKind: 'bake' } });

    await expect(signals.get(execution)).resolves.toEqual({ execution, rollback, pending: bake });
    expect(dynamo).toReceiveCommandWith(GetCommand, { TableName: 'cutover', Key: key, ConsistentRead: true });
  });

  it('returns only the execution when there is no control item', async () => {
    dynamo.on(GetCommand).resolves({});

    await expect(signals.get(execution)).resolves.toEqual({ execution });
  });
});

describe('requestRollback', () => {
  it('records the first request, then reads the record back consistently (no ReturnValues)', async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(GetCommand).resolves({ Item: { ...key, rollback } });

    await expect(signals.requestRollback(execution, rollback)).resolves.toEqual({ execution, rollback });
    expect(dynamo).toReceiveCommandWith(UpdateCommand, {
      TableName: 'cutover',
      Key: key,
      UpdateExpression: 'SET #rollback = :rollback',
      ConditionExpression: 'attribute_not_exists(#rollback)',
      ExpressionAttributeNames: { '#rollback': 'rollback' },
      ExpressionAttributeValues: { ':rollback': rollback },
    });
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.ReturnValues).toBeUndefined();
    expect(dynamo).toReceiveCommandWith(GetCommand, { Key: key, ConsistentRead: true });
  });

  it('keeps the first request and returns it when a rollback was already requested', async () => {
    const first: RollbackRequest = {
      actor: 'bob',
      reason: 'latency',
      requestedAt: '2026-11-26T10:04:00.000Z',
    };
    dynamo
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
      );
    dynamo.on(GetCommand).resolves({ Item: { ...key, rollback: first } });

    await expect(signals.requestRollback(execution, rollback)).resolves.toEqual({
      execution,
      rollback: first,
    });
  });
});

describe('pending waits', () => {
  it('sets the pending wait and its kind for the sparse index', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await signals.setPending(execution, bake);

    expect(dynamo).toReceiveCommandWith(UpdateCommand, {
      Key: key,
      UpdateExpression: 'SET #pending = :pending, #kind = :kind',
      ExpressionAttributeNames: { '#pending': 'pending', '#kind': 'pendingKind' },
      ExpressionAttributeValues: { ':pending': bake, ':kind': 'bake' },
    });
  });

  it('clears the pending wait only for its own task token', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await signals.clearPending(execution, bake.taskToken);

    expect(dynamo).toReceiveCommandWith(UpdateCommand, {
      Key: key,
      UpdateExpression: 'REMOVE #pending, #kind',
      ConditionExpression: '#pending.#token = :token',
      ExpressionAttributeValues: { ':token': bake.taskToken },
    });
  });

  it('does nothing when the wait was already cleared or replaced', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
      );

    await expect(signals.clearPending(execution, bake.taskToken)).resolves.toBeUndefined();
  });

  it('updates the detail only of the wait that holds the token', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await expect(signals.updatePending(execution, bake.taskToken, { failures: 1 })).resolves.toBe(true);
    expect(dynamo).toReceiveCommandWith(UpdateCommand, {
      Key: key,
      UpdateExpression: 'SET #pending.#detail = :detail',
      ConditionExpression: '#pending.#token = :token',
      ExpressionAttributeValues: { ':detail': { failures: 1 }, ':token': bake.taskToken },
    });
  });

  it('reports a wait answered or replaced since it was read, writing nothing', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
      );

    await expect(signals.updatePending(execution, bake.taskToken, { failures: 1 })).resolves.toBe(false);
  });

  it('lists every pending wait of a kind across pages of the index', async () => {
    const other = 'arn:aws:states:eu-west-1:123456789012:execution:cutover:api-2';
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ ...key, pending: bake, pendingKind: 'bake' }],
        LastEvaluatedKey: { pk: key.pk, sk: 'CONTROL', pendingKind: 'bake' },
      })
      .resolvesOnce({
        Items: [{ pk: `EXEC#${other}`, sk: 'CONTROL', pending: bake, pendingKind: 'bake', rollback }],
      });

    await expect(signals.listPending('bake')).resolves.toEqual([
      { execution, pending: bake },
      { execution: other, pending: bake, rollback },
    ]);
    expect(dynamo).toReceiveCommandTimes(QueryCommand, 2);
    expect(dynamo).toReceiveNthCommandWith(1, QueryCommand, {
      TableName: 'cutover',
      IndexName: 'pending',
      KeyConditionExpression: '#kind = :kind',
      ExpressionAttributeNames: { '#kind': 'pendingKind' },
      ExpressionAttributeValues: { ':kind': 'bake' },
    });
    expect(dynamo).toReceiveNthCommandWith(2, QueryCommand, {
      ExclusiveStartKey: { pk: key.pk, sk: 'CONTROL', pendingKind: 'bake' },
    });
  });

  it('fails with Throttled when DynamoDB throttles', async () => {
    dynamo
      .on(QueryCommand)
      .rejects(
        Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' }),
      );

    await expect(signals.listPending('decision')).rejects.toMatchObject({ name: 'Throttled' });
  });
});

describe('the watcher lease', () => {
  const now = new Date('2026-11-26T10:00:00.000Z');
  const until = new Date('2026-11-26T10:01:25.000Z');
  const lease = { pk: 'WATCHER#lease', sk: 'LEASE' };

  it('is taken when free, expired or already ours', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await expect(signals.claimWatcher('w-1', now, until)).resolves.toBe(true);
    expect(dynamo).toReceiveCommandWith(UpdateCommand, {
      Key: lease,
      ConditionExpression: 'attribute_not_exists(#owner) OR #owner = :owner OR #until < :now',
      ExpressionAttributeValues: {
        ':owner': 'w-1',
        ':until': until.toISOString(),
        ':now': now.toISOString(),
      },
    });
  });

  it('is refused while another watcher holds it', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
      );

    await expect(signals.claimWatcher('w-2', now, until)).resolves.toBe(false);
  });

  it('is released only by its owner', async () => {
    dynamo.on(DeleteCommand).resolves({});

    await signals.releaseWatcher('w-1');
    expect(dynamo).toReceiveCommandWith(DeleteCommand, {
      Key: lease,
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeValues: { ':owner': 'w-1' },
    });
  });
});
