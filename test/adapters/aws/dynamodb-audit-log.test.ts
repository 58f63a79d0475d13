import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbAuditLog } from '../../../adapters/aws/dynamodb-audit-log';
import type { AuditRecord } from '../../../ports/audit-log';

const dynamo = mockClient(DynamoDBDocumentClient);
const audit = new DynamoDbAuditLog(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'cutover');
const record: AuditRecord = {
  plan: 'web-to-fargate',
  execution: 'arn:aws:states:eu-west-1:123456789012:execution:cutover:web-to-fargate-1',
  outcome: 'rolled_back',
  phase: 'shift',
  cause: 'HealthCheckFailed: alarm web-green-5xx-rate is ALARM',
  at: '2026-11-26T10:07:00.000Z',
};

beforeEach(() => dynamo.reset());

it('appends the record under the plan, keyed by execution and event', async () => {
  dynamo.on(PutCommand).resolves({});

  await audit.write(record);

  expect(dynamo).toReceiveCommandWith(PutCommand, {
    TableName: 'cutover',
    Item: { pk: 'AUDIT#web-to-fargate', sk: `${record.execution}#rolled_back`, ...record },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
});

it('writes the same key when a retried step records the same event later', async () => {
  dynamo.on(PutCommand).resolves({});

  await audit.write(record);
  await audit.write({ ...record, at: '2026-11-26T10:07:09.000Z' });

  const keys = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item?.['sk']);
  expect(keys).toEqual([`${record.execution}#rolled_back`, `${record.execution}#rolled_back`]);
});

it('keeps the record already written when a retried step writes it again', async () => {
  dynamo
    .on(PutCommand)
    .rejects(
      new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
    );

  await expect(audit.write(record)).resolves.toBeUndefined();
});

it('fails with Throttled when DynamoDB throttles', async () => {
  dynamo.on(PutCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

  await expect(audit.write(record)).rejects.toMatchObject({ name: 'Throttled' });
});

it('also keeps a record with a promotion digest under the digest, with execution, outcome and time only', async () => {
  dynamo.on(PutCommand).resolves({});
  const digest = `sha256:${'ab'.repeat(32)}`;

  await audit.write({ ...record, outcome: 'completed', promotionDigest: digest });

  expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 2);
  expect(dynamo).toHaveReceivedNthSpecificCommandWith(2, PutCommand, {
    TableName: 'cutover',
    Item: {
      pk: `PROMOTION#${digest}`,
      sk: `${record.execution}#completed`,
      plan: record.plan,
      execution: record.execution,
      outcome: 'completed',
      at: record.at,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
});

it('writes the digest record when a retried step finds the plan record already there', async () => {
  dynamo
    .on(PutCommand)
    .rejectsOnce(
      new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }),
    )
    .resolves({});

  await audit.write({ ...record, promotionDigest: 'sha256:00' });

  expect(dynamo).toHaveReceivedNthSpecificCommandWith(2, PutCommand, {
    Item: expect.objectContaining({ pk: 'PROMOTION#sha256:00' }),
  });
});
