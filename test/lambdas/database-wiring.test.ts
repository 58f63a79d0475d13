import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { DatabaseLimits } from '../../domain/plan/database-limits';
import { postgresConnections } from '../../lambdas/wiring/database';

const secretsManager = mockClient(SecretsManagerClient);
const LIMITS: DatabaseLimits = {
  maxLag: 1024,
  frozenLagTolerance: 0,
  catchUpTimeoutSeconds: 60,
  maxWriteFreezeSeconds: 10,
  switchWaitSeconds: 60,
};
const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;

beforeEach(() => {
  secretsManager.reset();
  for (const [name, host] of [
    ['blue', 'blue.db.internal'],
    ['green', 'green.db.internal'],
    ['replica', undefined], // an RDS-managed master-user secret: username and password only
  ] as const) {
    secretsManager.on(GetSecretValueCommand, { SecretId: arn(name) }).resolves({
      ARN: arn(name),
      SecretString: JSON.stringify({
        username: name,
        password: `pw-${name}`,
        ...(host ? { host, dbname: 'orders' } : {}),
      }),
    });
  }
});

describe('postgresConnections: blue’s and green’s settings, from their secrets', () => {
  it('reads the publisher’s and the subscriber’s secrets for logical replication', async () => {
    const [source, target] = await postgresConnections({
      kind: 'postgres-logical',
      sourceSecretArn: arn('blue'),
      targetSecretArn: arn('green'),
      publication: 'cutover',
      subscription: 'cutover',
      verify: { tables: ['orders'], chunkSize: 1000 },
      limits: LIMITS,
    });
    expect(source).toMatchObject({ host: 'blue.db.internal', user: 'blue' });
    expect(target).toMatchObject({ host: 'green.db.internal', user: 'green' });
  });

  it('reads the source’s and the read replica’s secrets, the replica’s host from the plan', async () => {
    const [source, replica] = await postgresConnections({
      kind: 'rds-read-replica',
      sourceSecretArn: arn('blue'),
      replicaSecretArn: arn('replica'),
      replicaFallback: { host: 'orders-replica.abc.eu-west-1.rds.amazonaws.com', database: 'orders' },
      sourceInstanceId: 'orders',
      replicaInstanceId: 'orders-replica',
      limits: LIMITS,
    });
    expect(source).toMatchObject({ host: 'blue.db.internal', user: 'blue' });
    expect(replica).toMatchObject({
      host: 'orders-replica.abc.eu-west-1.rds.amazonaws.com',
      database: 'orders',
      user: 'replica',
    });
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });
});
