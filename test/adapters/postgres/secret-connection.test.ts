import { inspect } from 'node:util';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import type { ClientConfig } from 'pg';
import { rdsInstanceEndpoint } from '../../../adapters/aws/rds-instance-endpoint';
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
    connectionTimeoutMillis: 5000,
  });

  await expect(loader.load(SECRET_ARN)).resolves.toMatchObject({
    database: 'shop',
    connectionTimeoutMillis: 5000,
  });
});

test('fails when neither the secret nor the defaults name a database', async () => {
  const { dbname: _dbname, ...withoutDbname } = RDS_SECRET;
  secretReturns(withoutDbname);

  await expect(new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN)).rejects.toThrow(
    `secret ${SECRET_ARN} has no dbname, and neither the plan nor the defaults name a database`,
  );
});

test('fails naming the fields at fault, without the values of the secret', async () => {
  secretReturns({ ...RDS_SECRET, host: 42, username: undefined, sslmode: PASSWORD });

  const failure = new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN);

  await expect(failure).rejects.toThrow(
    `secret ${SECRET_ARN} is not a database secret: invalid or missing host, username, sslmode (expected verify-full, verify-ca, require, disable)`,
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

  await new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN, {}, controller.signal);

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

describe('TLS', () => {
  const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUexample\n-----END CERTIFICATE-----\n';

  it('verifies the server certificate and its host name by default, with the runtime’s CAs', async () => {
    secretReturns(RDS_SECRET);
    const config = await new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN);
    expect(config.ssl).toEqual({ rejectUnauthorized: true });
  });

  it('trusts only the CA bundle a self-managed database names in its secret', async () => {
    secretReturns({ ...RDS_SECRET, sslrootcert: CA });
    const config = await new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN);
    expect(config.ssl).toEqual({ rejectUnauthorized: true, ca: CA });
  });

  it('skips only the host name check with sslmode verify-ca', async () => {
    secretReturns({ ...RDS_SECRET, sslrootcert: CA, sslmode: 'verify-ca' });
    const config = await new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN);
    const ssl = config.ssl as { rejectUnauthorized: boolean; ca: string; checkServerIdentity: () => unknown };
    expect(ssl).toMatchObject({ rejectUnauthorized: true, ca: CA });
    expect(ssl.checkServerIdentity()).toBeUndefined();
  });

  it('encrypts without verifying with sslmode require, and turns TLS off only with sslmode disable', async () => {
    const loader = new SecretConnectionLoader(new SecretsManagerClient({}));
    secretReturns({ ...RDS_SECRET, sslmode: 'require' });
    await expect(loader.load(SECRET_ARN)).resolves.toMatchObject({ ssl: { rejectUnauthorized: false } });
    secretsManager.reset();
    secretReturns({ ...RDS_SECRET, sslmode: 'disable' });
    await expect(loader.load(SECRET_ARN)).resolves.toMatchObject({ ssl: false });
  });

  it.each([
    [{ sslmode: 'prefer' }, 'sslmode (expected verify-full, verify-ca, require, disable)'],
    [{ sslmode: true }, 'sslmode (expected verify-full, verify-ca, require, disable)'],
    [{ sslrootcert: '/etc/ssl/certs/rds.pem' }, 'sslrootcert (expected PEM certificates)'],
  ])('fails on %j naming the field and what it expects', async (fields, expected) => {
    secretReturns({ ...RDS_SECRET, ...fields });
    await expect(new SecretConnectionLoader(new SecretsManagerClient({})).load(SECRET_ARN)).rejects.toThrow(
      `secret ${SECRET_ARN} is not a database secret: invalid or missing ${expected}`,
    );
  });
});

describe('an RDS-managed master-user secret (username and password only)', () => {
  const MANAGED = { username: 'postgres', password: PASSWORD };
  const rds = mockClient(RDSClient);
  const withInstances = () =>
    new SecretConnectionLoader(
      new SecretsManagerClient({}),
      {},
      rdsInstanceEndpoint(new RDSClient({ region: 'eu-west-1' })),
    );

  beforeEach(() => rds.reset());

  it('connects to the host the plan names, on the default port, to the database it names', async () => {
    secretReturns(MANAGED);
    const config = await withInstances().load(SECRET_ARN, {
      host: 'orders-green.abc123.eu-west-1.rds.amazonaws.com',
      database: 'orders',
    });
    expect(config).toMatchObject({
      host: 'orders-green.abc123.eu-west-1.rds.amazonaws.com',
      port: 5432,
      user: 'postgres',
      database: 'orders',
      ssl: { rejectUnauthorized: true },
    });
    expect(rds).not.toHaveReceivedCommand(DescribeDBInstancesCommand);
  });

  it('connects to the endpoint of the RDS instance the plan names (DescribeDBInstances)', async () => {
    secretReturns(MANAGED);
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders' }).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: 'orders',
          DBInstanceStatus: 'available',
          Engine: 'postgres',
          Endpoint: {
            Address: 'orders.abc123.eu-west-1.rds.amazonaws.com',
            Port: 6543,
            HostedZoneId: 'Z29XKXDKYMONMX',
          },
        },
      ],
    });
    const config = await withInstances().load(SECRET_ARN, { instanceId: 'orders', database: 'orders' });
    expect(rds).toHaveReceivedCommandWith(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders' });
    expect(config).toMatchObject({ host: 'orders.abc123.eu-west-1.rds.amazonaws.com', port: 6543 });
  });

  it('prefers what the secret says over the plan', async () => {
    secretReturns(RDS_SECRET);
    const config = await withInstances().load(SECRET_ARN, { host: 'elsewhere.example.com', instanceId: 'x' });
    expect(config).toMatchObject({ host: RDS_SECRET.host, database: 'orders' });
    expect(rds).not.toHaveReceivedCommand(DescribeDBInstancesCommand);
  });

  it('fails clearly when the instance has no endpoint yet', async () => {
    secretReturns(MANAGED);
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [{ DBInstanceIdentifier: 'orders', DBInstanceStatus: 'creating' }],
    });
    await expect(
      withInstances().load(SECRET_ARN, { instanceId: 'orders', database: 'orders' }),
    ).rejects.toThrow('DB instance orders has no endpoint yet (status creating)');
  });

  it('fails clearly when neither the secret nor the plan says where the database is', async () => {
    secretReturns(MANAGED);
    await expect(withInstances().load(SECRET_ARN, { database: 'orders' })).rejects.toThrow(
      `secret ${SECRET_ARN} has no host (an RDS-managed master-user secret holds only username and password), and the plan names neither a host nor an RDS instance for it`,
    );
  });
});
