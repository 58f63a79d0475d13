import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ClientConfig } from 'pg';
import * as z from 'zod';

/** The JSON of an RDS database secret; other keys (engine, dbInstanceIdentifier, ...) are ignored. */
const DatabaseSecret = z.object({
  host: z.string().min(1),
  port: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  username: z.string().min(1),
  password: z.string().min(1),
  dbname: z.string().min(1).optional(),
});

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
    const secret = DatabaseSecret.safeParse(parseJson(SecretString, secretArn));
    if (!secret.success) {
      const fields = [
        ...new Set(secret.error.issues.map((issue) => issue.path.join('.') || '(the whole value)')),
      ];
      throw new Error(
        `secret ${secretArn} is not a database secret: invalid or missing ${fields.join(', ')}`,
      );
    }
    const { host, port, username, password, dbname } = secret.data;
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
