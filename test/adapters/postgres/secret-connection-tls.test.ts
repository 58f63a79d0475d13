import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { Client } from '../../../adapters/postgres/pg';
import { SecretConnectionLoader } from '../../../adapters/postgres/secret-connection';
import { freePorts } from '../../../local/free-ports';
import { startPostgresServer, type RunningServer } from '../../../local/postgres-pair';

/**
 * A real PostgreSQL server with `ssl=on` and a certificate signed by a throwaway CA (made with openssl),
 * reached with the settings the loader builds from a secret, as a database step does on AWS.
 */
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:self-managed-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);

let certs: string;
let ca: string;
let server: RunningServer;

const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: certs, stdio: 'pipe' });

/** A CA, and a server certificate it signs for 127.0.0.1 (an IP address, not a host name). */
async function makeCertificates(): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=cutover test CA',
  );
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  await writeFile(join(certs, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '1',
    '-extfile',
    'san.ext',
  );
  // PostgreSQL reads its key only when the server user owns it and nobody else may read it.
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    await chown(join(certs, 'server.key'), id('-u'), id('-g'));
  }
  await chmod(join(certs, 'server.key'), 0o600);
  ca = await readFile(join(certs, 'ca.crt'), 'utf8');
}

beforeAll(async () => {
  certs = await mkdtemp(join(tmpdir(), 'cutover-tls-'));
  await chmod(certs, 0o755);
  await makeCertificates();
  const [port] = (await freePorts(1)) as [number];
  server = await startPostgresServer('blue', port, 'tls-test-Vx9q', {
    postgresFlags: [
      ...['-c', 'ssl=on'],
      ...['-c', `ssl_cert_file=${join(certs, 'server.crt')}`],
      ...['-c', `ssl_key_file=${join(certs, 'server.key')}`],
    ],
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await rm(certs, { recursive: true, force: true });
});

beforeEach(() => secretsManager.reset());

/** Connects with what the loader makes of the secret, and says whether the session is encrypted. */
async function connectWith(secret: Record<string, unknown>): Promise<boolean> {
  const { host, port, user, password } = server.connection;
  secretsManager.on(GetSecretValueCommand).resolves({
    SecretString: JSON.stringify({ host, port, username: user, password, dbname: 'postgres', ...secret }),
  });
  const config = await new SecretConnectionLoader(new SecretsManagerClient({}), {
    connectionTimeoutMillis: 10_000,
  }).load(SECRET_ARN);
  const client = new Client(config);
  await client.connect();
  try {
    const { rows } = await client.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return rows[0]!.ssl;
  } finally {
    await client.end();
  }
}

it('connects over verified TLS when the secret names the CA (sslrootcert)', async () => {
  await expect(connectWith({ sslrootcert: ca })).resolves.toBe(true);
});

it('refuses a server whose CA is not trusted, by default', async () => {
  await expect(connectWith({})).rejects.toThrow(
    /self[- ]signed certificate|unable to verify|unable to get local issuer/,
  );
});

it('refuses a certificate issued for another name with verify-full, accepts it with verify-ca', async () => {
  await expect(connectWith({ host: 'localhost', sslrootcert: ca })).rejects.toThrow(
    /does not match certificate's altnames/,
  );
  await expect(connectWith({ host: 'localhost', sslrootcert: ca, sslmode: 'verify-ca' })).resolves.toBe(true);
});

it('encrypts without verifying with sslmode require, and connects in clear text only with disable', async () => {
  await expect(connectWith({ sslmode: 'require' })).resolves.toBe(true);
  await expect(connectWith({ sslmode: 'disable' })).resolves.toBe(false);
});
