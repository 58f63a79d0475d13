import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import {
  InputError,
  NoSuchExecutionError,
  OperatorConflictError,
  PlanValidationError,
} from '../domain/errors';
import { ANSWERS, type Answer } from '../operations/answer-wait';
import { consoleAssets, type ConsoleConfig } from './console-assets';
import { issueCsrfToken, requireCsrfToken } from './csrf';
import type { OperatorService } from './operator-service';
import type { Door, PrincipalOf } from './principal';

export interface OperatorApiProps {
  readonly service: OperatorService;
  readonly principalOf: PrincipalOf;
  /** What the console page needs to sign in (on AWS: the Cognito user pool's hosted login). */
  readonly console: ConsoleConfig;
}

/** CLI routes (IAM on AWS) live under /api, the console's (Cognito on AWS) under /console/api. */
export const CLI_API = '/api';
export const CONSOLE_API = '/console/api';

/**
 * The operator API: one Hono app, run by Lambda behind API Gateway or by Node for a rehearsal. Every
 * data route needs an authenticated principal; GET never acts; the console's POSTs need a CSRF token.
 */
export function operatorApi(props: OperatorApiProps): Hono {
  // Not strict: /console/ and /console are the same page.
  const app = new Hono({ strict: false });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'", ...(props.console.auth === 'cognito' ? [props.console.domain] : [])],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );
  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) => c.json({ error: 'NotFound', message: `no route ${c.req.method} ${c.req.path}` }, 404));

  app.route(CLI_API, routes(props, 'cli'));
  const consoleApi = new Hono();
  consoleApi.use('*', requireCsrfToken);
  consoleApi.get('/session', (c) => {
    const principal = principalOrRefuse(props, c, 'console');
    return c.json({ principal, csrfToken: issueCsrfToken(c) });
  });
  consoleApi.route('/', routes(props, 'console'));
  app.route(CONSOLE_API, consoleApi);
  app.route('/console', consoleAssets(props.console));
  app.get('/', (c) => c.redirect('/console/'));
  return app;
}

function routes(props: OperatorApiProps, door: Door): Hono {
  const { service } = props;
  const api = new Hono();
  const who = (c: Context) => principalOrRefuse(props, c, door);
  api.use('*', async (c, next) => {
    who(c);
    await next();
  });
  api.get('/executions', async (c) => c.json({ executions: await service.backend.list(c.req.raw.signal) }));
  api.post('/executions', async (c) => {
    const body = await jsonBody(c);
    const environment = optionalText(body, 'environment', '--environment');
    const force = optionalText(body, 'force', '--force');
    const started = await service.start(
      body['plan'],
      who(c),
      { ...(environment === undefined ? {} : { environment }), ...(force === undefined ? {} : { force }) },
      c.req.raw.signal,
    );
    return c.json(started, started.existing ? 200 : 201);
  });
  api.get('/executions/:name', async (c) =>
    c.json(await service.backend.status(c.req.param('name'), c.req.raw.signal)),
  );
  api.get('/executions/:name/history', async (c) =>
    c.json(await service.backend.history(c.req.param('name'), c.req.raw.signal)),
  );
  api.post('/executions/:name/answers', async (c) => {
    const body = await jsonBody(c);
    const answer = body['answer'];
    if (typeof answer !== 'string' || !(answer in ANSWERS)) {
      throw new InputError(
        `answer: expected one of ${Object.keys(ANSWERS).join(', ')}, got ${JSON.stringify(answer)}`,
      );
    }
    const decision = await service.answer(
      c.req.param('name'),
      answer as Answer,
      who(c),
      String(body['reason'] ?? ''),
      c.req.raw.signal,
    );
    return c.json({ decision });
  });
  api.post('/executions/:name/rollback', async (c) => {
    const body = await jsonBody(c);
    const decision = await service.rollback(
      c.req.param('name'),
      who(c),
      String(body['reason'] ?? ''),
      c.req.raw.signal,
    );
    return c.json({ decision });
  });
  api.post('/executions/:name/notes', async (c) => {
    const body = await jsonBody(c);
    const decision = await service.note(c.req.param('name'), who(c), body['text'], c.req.raw.signal);
    return c.json({ decision }, 201);
  });
  return api;
}

class Unauthenticated extends Error {
  override readonly name = 'Unauthenticated';
}

function principalOrRefuse(props: OperatorApiProps, c: Context, door: Door): string {
  const principal = props.principalOf(c, door);
  if (!principal)
    throw new Unauthenticated(
      'no authenticated principal: sign in (console) or sign requests with IAM (CLI)',
    );
  return principal;
}

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const body: unknown = await c.req.json().catch(() => undefined);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError('body: expected a JSON object');
  }
  return body as Record<string, unknown>;
}

/** An optional string of the body; `option` names it as the CLI user knows it. */
function optionalText(body: Record<string, unknown>, field: string, option: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 1000) {
    throw new InputError(`${option} (body "${field}"): expected a string of at most 1000 characters`);
  }
  return value;
}

function errorResponse(c: Context, error: Error): Response {
  if (error instanceof PlanValidationError) {
    return c.json({ error: error.name, message: error.message, issues: error.issues }, 400);
  }
  if (error instanceof InputError) return c.json({ error: error.name, message: error.message }, 400);
  if (error instanceof Unauthenticated) return c.json({ error: error.name, message: error.message }, 401);
  if (error instanceof NoSuchExecutionError)
    return c.json({ error: error.name, message: error.message }, 404);
  if (error instanceof OperatorConflictError)
    return c.json({ error: error.name, message: error.message }, 409);
  // Unexpected: logged without anything long enough to be a task token; the caller gets no details.
  console.error(
    `operator API error: ${error.name}: ${error.message.replace(/[\w+/=-]{100,}/g, '[redacted]')}`,
  );
  return c.json({ error: 'InternalError', message: 'the operator API failed; see its logs' }, 500);
}
