import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ClientConfig } from './pg';
/** The JSON of an RDS database secret; other keys (engine, dbInstanceIdentifier, ...) are ignored. */
interface DatabaseSecret {
  readonly host: string;
  readonly port?: number;
  readonly username: string;
  readonly password: string;
  readonly dbname?: string;
}

const isText = (value: unknown) => typeof value === 'string' && value !== '';
const FIELDS: Record<keyof DatabaseSecret, (value: unknown) => boolean> = {
  host: isText,
  port: (value) =>
    value === undefined ||
    (Number.isInteger(value) && (value as number) > 0) ||
    (typeof value === 'string' && /^\d+$/.test(value)),
  username: isText,
  password: isText,
  dbname: (value) => value === undefined || isText(value),
};

/** The secret's fields, or the names (never the values) of those that are missing or wrong. */
function readSecret(value: unknown): DatabaseSecret | { readonly invalid: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { invalid: ['(the whole value)'] };
  const fields = value as Record<string, unknown>;
  const invalid = Object.entries(FIELDS)
    .filter(([name, valid]) => !valid(fields[name]))
    .map(([name]) => name);
  if (invalid.length > 0) return { invalid };
  const { host, port, username, password, dbname } = fields as Record<
    keyof DatabaseSecret,
    string | undefined
  >;
  return {
    host: host!,
    username: username!,
    password: password!,
    ...(port === undefined ? {} : { port: Number(port) }),
    ...(dbname === undefined ? {} : { dbname }),
  };
}

const DEFAULT_PORT = 5432;

/**
 * Builds PostgreSQL connection settings from a Secrets Manager secret in the shape RDS uses
 * (`{ host, port, username, password, dbname }`). Error messages name the secret and the fields at
 * fault, never their values.
 */
export class SecretConnectionLoader {
  /**
   * @param defaults settings the secret does not carry (e.g. `ssl`, `connectionTimeoutMillis`), and the
   *   `database` to use when the secret has no `dbname`.
   */
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly defaults: ClientConfig = {},
  ) {}

  /**
   * The password comes back as a function (pg accepts one), so the settings can be logged or serialized
   * without it.
   */
  async load(secretArn: string, signal?: AbortSignal): Promise<ClientConfig> {
    const { SecretString } = await this.client.send(
      new GetSecretValueCommand({ SecretId: secretArn }),
      signal ? { abortSignal: signal } : {},
    );
    if (SecretString === undefined) throw new Error(`secret ${secretArn} has no SecretString`);
    const secret = readSecret(parseJson(SecretString, secretArn));
    if ('invalid' in secret) {
      throw new Error(
        `secret ${secretArn} is not a database secret: invalid or missing ${secret.invalid.join(', ')}`,
      );
    }
    const { host, port, username, password, dbname } = secret;
    const database = dbname ?? this.defaults.database;
    if (database === undefined) {
      throw new Error(`secret ${secretArn} has no dbname and no default database was given`);
    }
    return {
      ...this.defaults,
      host,
      port: port ?? DEFAULT_PORT,
      user: username,
      database,
      password: () => password,
    };
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
