import { inspect } from 'node:util';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { ClientConfig } from 'pg';
import { SecretConnectionLoader } from '../../../adapters/postgres/secret-connection';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/blue-AbCdEf';
const PASSWORD = 'hunter2-Vx9!q';
const RDS_SECRET = {
  username: 'cutover',
  password: PASSWORD,
  engine: 'postgres',
  host: 'orders.cluster-abc123.eu-west-1.rds.amazonaws.com',
  port: 5432,
  dbname: 'orders',
  dbInstanceIdentifier: 'orders',
};

const secretsManager = mockClient(SecretsManagerClient);

beforeEach(() => {
  secretsManager.reset();
});

function secretReturns(secret: Record<string, unknown> | string): void {
  secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
    ARN: SECRET_ARN,
    Name: 'orders/blue',
    SecretString: typeof secret === 'string' ? secret : JSON.stringify(secret),
    VersionStages: ['AWSCURRENT'],
  });
}

async function passwordOf(config: ClientConfig): Promise<string | undefined> {
  return typeof config.password === 'function' ? config.password() : config.password;
}

test('builds connection settings from an RDS database secret', async () => {
  secretReturns(RDS_SECRET);

  const config = await new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN);

  expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
  expect(config).toMatchObject({ host: RDS_SECRET.host, port: 5432, user: 'cutover', database: 'orders' });
  await expect(passwordOf(config)).resolves.toBe(PASSWORD);
});

test('keeps the password out of logged and serialized settings', async () => {
  secretReturns(RDS_SECRET);

  const config = await new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN);

  expect(JSON.stringify(config)).not.toContain(PASSWORD);
  expect(inspect(config, { depth: 5 })).not.toContain(PASSWORD);
});

test('accepts the port as a string and defaults it to 5432 when missing', async () => {
  const loader = new SecretConnectionLoader(new SecretsManagerClient({}));
  secretReturns({ ...RDS_SECRET, port: '6432' });
  await expect(loader.load(SECRET_ARN)).resolves.toMatchObject({ port: 6432 });

  secretsManager.reset();
  const { port: _port, ...withoutPort } = RDS_SECRET;
  secretReturns(withoutPort);
  await expect(loader.load(SECRET_ARN)).resolves.toMatchObject({ port: 5432 });
});

test('keeps the given defaults and takes the database from them when the secret has no dbname', async () => {
  const { dbname: _dbname, ...withoutDbname } = RDS_SECRET;
  secretReturns(withoutDbname);
  const loader = new SecretConnectionLoader(new SecretsManagerClient({}), {
    database: 'shop',
    ssl: true,
    connectionTimeoutMillis: 5000,
  });

  await expect(loader.load(SECRET_ARN)).resolves.toMatchObject({
    database: 'shop',
    ssl: true,
    connectionTimeoutMillis: 5000,
  });
});

test('fails when neither the secret nor the defaults name a database', async () => {
  const { dbname: _dbname, ...withoutDbname } = RDS_SECRET;
  secretReturns(withoutDbname);

  await expect(new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN)).rejects.toThrow(
    `secret ${SECRET_ARN} has no dbname and no default database was given`,
  );
});

test('fails naming the fields at fault, without the values of the secret', async () => {
  secretReturns({ ...RDS_SECRET, host: 42, username: undefined });

  const failure = new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN);

  await expect(failure).rejects.toThrow(
    `secret ${SECRET_ARN} is not a database secret: invalid or missing host, username`,
  );
  await expect(failure).rejects.not.toThrow(PASSWORD);
});

test('fails without quoting the secret when it is not JSON', async () => {
  secretReturns(`{"password": "${PASSWORD}", oops}`);

  const failure = new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN);

  await expect(failure).rejects.toThrow(`secret ${SECRET_ARN} is not JSON`);
  await expect(failure).rejects.not.toThrow(PASSWORD);
});

test('fails when the secret is binary', async () => {
  secretsManager
    .on(GetSecretValueCommand)
    .resolves({ ARN: SECRET_ARN, SecretBinary: new Uint8Array([1, 2, 3]) });

  await expect(new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN)).rejects.toThrow(
    `secret ${SECRET_ARN} has no SecretString`,
  );
});

test('passes the abort signal to the SDK call', async () => {
  secretReturns(RDS_SECRET);
  const controller = new AbortController();

  await new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN, controller.signal);

  // The mock's call type lists the command only; send() also receives the options.
  const [, options] = (secretsManager.commandCalls(GetSecretValueCommand)[0]?.args ?? []) as unknown[];
  expect(options).toEqual({ abortSignal: controller.signal });
});

test('lets a missing secret fail with the SDK error', async () => {
  secretsManager.on(GetSecretValueCommand).rejects(
    new ResourceNotFoundException({
      message: "Secrets Manager can't find the specified secret.",
      $metadata: {},
    }),
  );

  await expect(
    new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN),
  ).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
});
