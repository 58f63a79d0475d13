import { Sha256 } from '@aws-crypto/sha256-js';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { SignatureV4 } from '@smithy/signature-v4';

/** An answer of the operator API that is not a success: its HTTP status, error name and message. */
export class OperatorRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'OperatorRequestError';
  }
}

/** The operator API did not answer at all (a rehearsal that ended, a wrong URL, no network). */
export class OperatorUnreachableError extends Error {
  override readonly name = 'OperatorUnreachableError';
}

/** Calls the operator API's CLI routes, signed with SigV4 (AWS) or not (a local rehearsal). */
export class OperatorClient {
  private readonly signer: SignatureV4 | undefined;

  constructor(
    /** The API's base URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com */
    readonly baseUrl: string,
    aws?: { readonly region: string; readonly credentials: AwsCredentialIdentityProvider },
  ) {
    this.signer = aws
      ? new SignatureV4({
          service: 'execute-api',
          region: aws.region,
          credentials: aws.credentials,
          sha256: Sha256,
        })
      : undefined;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.send<T>('GET', path, undefined, signal);
  }

  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.send<T>('POST', path, JSON.stringify(body), signal);
  }

  private async send<T>(
    method: string,
    path: string,
    body: string | undefined,
    signal?: AbortSignal,
  ): Promise<T> {
    const url = new URL(`/api${path}`, this.baseUrl);
    let headers: Record<string, string> = { host: url.host, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.signer) {
      const signed = await this.signer.sign({
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        ...(body === undefined ? {} : { body }),
      });
      headers = signed.headers;
    }
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(signal ? { signal } : {}),
    }).catch((error: unknown) => {
      if (signal?.aborted) throw error;
      throw new OperatorUnreachableError(
        `cannot reach the operator API at ${url.origin} (${(error as Error).message}): is the rehearsal still running, or the stack deployed?`,
      );
    });
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) {
      const error = typeof json?.['error'] === 'string' ? json['error'] : `HTTP${response.status}`;
      // API Gateway's own refusals carry only { message }.
      const message = typeof json?.['message'] === 'string' ? json['message'] : text.slice(0, 200);
      throw new OperatorRequestError(response.status, error, message);
    }
    return json as T;
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
