import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  crossAccountPromotionHistory,
  DynamoDbPromotionHistory,
} from '../../../adapters/aws/dynamodb-promotion-history';

const dynamo = mockClient(DynamoDBDocumentClient);
const sts = mockClient(STSClient);
const DIGEST = `sha256:${'c0'.repeat(32)}`;
const RUN = (n: number) => `arn:aws:states:eu-west-1:222222222222:execution:CutoverWorkflow:orders-${n}`;

beforeEach(() => {
  dynamo.reset();
  sts.reset();
});

describe('DynamoDbPromotionHistory', () => {
  const history = new DynamoDbPromotionHistory(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
    'staging-control',
    'staging',
  );

  it('reads the outcomes recorded under the digest, across pages', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [
          {
            pk: `PROMOTION#${DIGEST}`,
            sk: `${RUN(1)}#rolled_back`,
            execution: RUN(1),
            outcome: 'rolled_back',
          },
        ],
        LastEvaluatedKey: { pk: `PROMOTION#${DIGEST}`, sk: `${RUN(1)}#rolled_back` },
      })
      .resolvesOnce({
        Items: [
          { pk: `PROMOTION#${DIGEST}`, sk: `${RUN(2)}#completed`, execution: RUN(2), outcome: 'completed' },
        ],
      });

    await expect(history.finished(DIGEST)).resolves.toEqual([
      { environment: 'staging', planDigest: DIGEST, execution: RUN(1), outcome: 'rolled_back' },
      { environment: 'staging', planDigest: DIGEST, execution: RUN(2), outcome: 'completed' },
    ]);
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(dynamo).toHaveReceivedNthSpecificCommandWith(1, QueryCommand, {
      TableName: 'staging-control',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: { ':pk': `PROMOTION#${DIGEST}` },
    });
    expect(dynamo).toHaveReceivedNthSpecificCommandWith(2, QueryCommand, {
      ExclusiveStartKey: { pk: `PROMOTION#${DIGEST}`, sk: `${RUN(1)}#rolled_back` },
    });
  });

  it('fails with AccessDenied as AWS reports it when the role may not read the table', async () => {
    dynamo.on(QueryCommand).rejects(
      Object.assign(new Error('not authorized to perform: dynamodb:Query'), {
        name: 'AccessDeniedException',
      }),
    );

    await expect(history.finished(DIGEST)).rejects.toThrow('dynamodb:Query');
  });
});

describe('crossAccountPromotionHistory', () => {
  const source = {
    environment: 'staging',
    tableArn: 'arn:aws:dynamodb:eu-central-1:222222222222:table/CutoverOrchestrator-ControlTable-1A2B3C',
    roleArn: 'arn:aws:iam::222222222222:role/CutoverOrchestrator-PromotionReader',
  };

  it('reads the table of the other account, in its region, as the role assumed there', async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIASTAGING',
        SecretAccessKey: 'secret',
        SessionToken: 'session',
        Expiration: new Date('2026-11-30T08:15:00Z'),
      },
    });
    const history = crossAccountPromotionHistory(source, new STSClient({ region: 'eu-west-1' }));
    const client = history['client'];

    await expect(client.config.region()).resolves.toBe('eu-central-1');
    await expect(client.config.credentials()).resolves.toMatchObject({
      accessKeyId: 'ASIASTAGING',
      sessionToken: 'session',
      expiration: new Date('2026-11-30T08:15:00Z'),
    });
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: source.roleArn,
      RoleSessionName: 'cutover-promotion-check',
      DurationSeconds: 900,
    });
    expect(history['tableName']).toBe('CutoverOrchestrator-ControlTable-1A2B3C');
  });

  it('fails when the source is not a table ARN', () => {
    expect(() =>
      crossAccountPromotionHistory({ ...source, tableArn: 'arn:aws:s3:::bucket' }, new STSClient({})),
    ).toThrow('promotion source: arn:aws:s3:::bucket is not a DynamoDB table ARN');
  });
});
