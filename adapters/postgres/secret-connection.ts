import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ConnectionFallback } from '../../domain/context/execution-context';
import { withSignal } from '../aws/send-options';
import type { ClientConfig } from './pg';

/**
 * How a connection is encrypted and whom it trusts, as libpq names it. `verify-full` (the default): TLS,
 * the server's certificate signed by a trusted CA and issued for its host name. `verify-ca`: the same
 * without the host name. `require`: encrypted, but anyone on the path can pose as the server and read
 * the password. `disable`: no TLS at all, the password and data in clear text.
 */
const SSL_MODES = ['verify-full', 'verify-ca', 'require', 'disable'] as const;
type SslMode = (typeof SSL_MODES)[number];

/**
 * The JSON of a database secret: the shape RDS uses (`{ host, port, username, password, dbname }`; an
 * RDS-managed master-user secret holds only `username` and `password`), plus, for a database whose
 * certificate the runtime does not trust, `sslrootcert` (the PEM of the CAs to trust instead) and
 * `sslmode`. Other keys (engine, dbInstanceIdentifier, ...) are ignored.
 */
interface DatabaseSecret {
  readonly host?: string;
  readonly port?: number;
  readonly username: string;
  readonly password: string;
  readonly dbname?: string;
  readonly sslmode?: SslMode;
  readonly sslrootcert?: string;
}

const isText = (value: unknown) => typeof value === 'string' && value !== '';
const optional = (valid: (value: unknown) => boolean) => (value: unknown) =>
  value === undefined || valid(value);
const FIELDS: Record<keyof DatabaseSecret, (value: unknown) => boolean> = {
  host: optional(isText),
  port: optional(
    (value) =>
      (Number.isInteger(value) && (value as number) > 0) ||
      (typeof value === 'string' && /^\d+$/.test(value)),
  ),
  username: isText,
  password: isText,
  dbname: optional(isText),
  sslmode: optional((value) => (SSL_MODES as readonly unknown[]).includes(value)),
  sslrootcert: optional(
    (value) => isText(value) && (value as string).includes('-----BEGIN CERTIFICATE-----'),
  ),
};
const EXPECTED: Partial<Record<keyof DatabaseSecret, string>> = {
  sslmode: ` (expected ${SSL_MODES.join(', ')})`,
  sslrootcert: ' (expected PEM certificates)',
};

/** The secret's fields, or the names (never the values) of those that are missing or wrong. */
function readSecret(value: unknown): DatabaseSecret | { readonly invalid: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { invalid: ['(the whole value)'] };
  const fields = value as Record<string, unknown>;
  const invalid = Object.entries(FIELDS)
    .filter(([name, valid]) => !valid(fields[name]))
    .map(([name]) => `${name}${EXPECTED[name as keyof DatabaseSecret] ?? ''}`);
  if (invalid.length > 0) return { invalid };
  // Only the fields read here, each checked above; a string port becomes a number.
  const present = Object.fromEntries(
    Object.entries(fields).filter(([name, field]) => name in FIELDS && field !== undefined),
  );
  return {
    ...present,
    ...(present.port === undefined ? {} : { port: Number(present.port) }),
  } as DatabaseSecret;
}

/** pg's TLS settings for an sslmode, trusting `ca` instead of the runtime's CAs when given. */
function sslOptions(mode: SslMode, ca: string | undefined): ClientConfig['ssl'] {
  const trusted = ca ? { ca } : {};
  switch (mode) {
    case 'verify-full':
      return { rejectUnauthorized: true, ...trusted };
    case 'verify-ca':
      return { rejectUnauthorized: true, ...trusted, checkServerIdentity: () => undefined };
    case 'require':
      return { rejectUnauthorized: false };
    case 'disable':
      return false;
  }
}

const DEFAULT_PORT = 5432;

/** The address of an RDS DB instance (DescribeDBInstances), for a secret that has none. */
export type InstanceEndpointOf = (
  instanceId: string,
  signal?: AbortSignal,
) => Promise<{ readonly host: string; readonly port?: number }>;

/**
 * Builds PostgreSQL connection settings from a Secrets Manager secret. TLS is verified (`verify-full`)
 * unless the secret says otherwise. Error messages name the secret and the fields at fault, never their
 * values.
 */
export class SecretConnectionLoader {
  /**
   * @param defaults settings the secret does not carry (e.g. `connectionTimeoutMillis`), and the
   *   `database` to use when neither the secret nor the plan names one.
   * @param instanceEndpoint finds the host of a secret without one from the RDS instance the plan names.
   */
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly defaults: ClientConfig = {},
    private readonly instanceEndpoint?: InstanceEndpointOf,
  ) {}

  /**
   * The password comes back as a function (pg accepts one), so the settings can be logged or serialized
   * without it.
   * @param fallback where the database is when the secret does not say (the secret comes first).
   */
  async load(
    secretArn: string,
    fallback: ConnectionFallback = {},
    signal?: AbortSignal,
  ): Promise<ClientConfig> {
    const { SecretString } = await this.client.send(
      new GetSecretValueCommand({ SecretId: secretArn }),
      withSignal(signal),
    );
    if (SecretString === undefined) throw new Error(`secret ${secretArn} has no SecretString`);
    const secret = readSecret(parseJson(SecretString, secretArn));
    if ('invalid' in secret) {
      throw new Error(
        `secret ${secretArn} is not a database secret: invalid or missing ${secret.invalid.join(', ')}`,
      );
    }
    const database = secret.dbname ?? fallback.database ?? this.defaults.database;
    if (database === undefined) {
      throw new Error(
        `secret ${secretArn} has no dbname, and neither the plan nor the defaults name a database`,
      );
    }
    const { host, port } = await this.address(secretArn, secret, fallback, signal);
    return {
      ...this.defaults,
      host,
      port,
      user: secret.username,
      database,
      password: () => secret.password,
      ssl: sslOptions(secret.sslmode ?? 'verify-full', secret.sslrootcert),
    };
  }

  private async address(
    secretArn: string,
    secret: DatabaseSecret,
    fallback: ConnectionFallback,
    signal?: AbortSignal,
  ): Promise<{ host: string; port: number }> {
    const host = secret.host ?? fallback.host;
    if (host !== undefined) return { host, port: secret.port ?? DEFAULT_PORT };
    if (fallback.instanceId !== undefined && this.instanceEndpoint) {
      const endpoint = await this.instanceEndpoint(fallback.instanceId, signal);
      return { host: endpoint.host, port: secret.port ?? endpoint.port ?? DEFAULT_PORT };
    }
    throw new Error(
      `secret ${secretArn} has no host (an RDS-managed master-user secret holds only username and password), and the plan names neither a host nor an RDS instance for it`,
    );
  }
}

function parseJson(text: string, secretArn: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text around the error, which may be the password.
    throw new Error(`secret ${secretArn} is not JSON`);
  }
}
