import type { Context } from 'hono';

/** Which door a request came through: the CLI's (IAM, SigV4) or the console's (Cognito JWT). */
export type Door = 'cli' | 'console';

/** The authenticated caller of a request, or undefined: the API refuses a request without one. */
export type PrincipalOf = (c: Context, door: Door) => string | undefined;

interface LambdaAuthorizer {
  readonly iam?: { readonly userArn?: unknown };
  readonly jwt?: { readonly claims?: Record<string, unknown> };
}

/**
 * The principal API Gateway authenticated (HTTP API, payload 2.0): the IAM caller's ARN on CLI routes,
 * the Cognito user on console routes. Each door reads only its own authorizer's result, and nothing from
 * the request itself.
 */
export const lambdaPrincipal: PrincipalOf = (c, door) => {
  const env = c.env as { event?: { requestContext?: { authorizer?: LambdaAuthorizer } } } | undefined;
  const authorizer = env?.event?.requestContext?.authorizer;
  if (door === 'cli') {
    const arn = authorizer?.iam?.userArn;
    return typeof arn === 'string' && arn ? arn : undefined;
  }
  const claims = authorizer?.jwt?.claims ?? {};
  const user = claims['cognito:username'] ?? claims['username'] ?? claims['sub'];
  return typeof user === 'string' && user ? `cognito:${user}` : undefined;
};

/** A local rehearsal has one operator: the person who started it on this machine. */
export function localPrincipal(identity: string): PrincipalOf {
  return () => identity;
}
