import { MemoryControlSignals } from '../../adapters/local/memory-control-signals';
import { LocalTaskCallbacks } from '../../adapters/local/local-task-callbacks';
import { MemoryDecisionLog } from '../../adapters/local/memory-decision-log';
import { NoSuchExecutionError } from '../../domain/errors';
import { operatorApi } from '../../operator-api/app';
import type { OperatorBackend } from '../../operator-api/backend';
import { OperatorService } from '../../operator-api/operator-service';
import { lambdaPrincipal } from '../../operator-api/principal';

const backend: OperatorBackend = {
  ports: { control: new MemoryControlSignals(), callbacks: new LocalTaskCallbacks() },
  decisions: new MemoryDecisionLog(),
  start: jest.fn(),
  list: jest.fn(async () => []),
  status: jest.fn(async (name: string) => {
    throw new NoSuchExecutionError(`no execution ${name}`);
  }),
  history: jest.fn(),
};
const app = operatorApi({
  service: new OperatorService({ backend }),
  principalOf: lambdaPrincipal,
  console: { auth: 'cognito', domain: 'https://login.example.com', clientId: 'client' },
});

/** A request as API Gateway hands it to the Lambda: the authorizer's result in the request context. */
async function invoke(
  path: string,
  init: RequestInit = {},
  authorizer?: Record<string, unknown>,
): Promise<Response> {
  const event = { requestContext: { authorizer } };
  return app.request(`https://api.example.com${path}`, init, { event });
}

describe('operator API security', () => {
  it('refuses a CLI request without an IAM principal (401), whatever the body claims', async () => {
    const response = await invoke('/api/executions/x/rollback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reason: 'r',
        actor: 'arn:aws:iam::123456789012:user/admin',
        principal: 'admin',
      }),
    });
    expect(response.status).toBe(401);
    expect(backend.status).not.toHaveBeenCalled();
  });

  it('refuses a console request carrying only a JWT on a CLI route, and an IAM principal on a console route', async () => {
    expect(
      (await invoke('/api/executions', {}, { jwt: { claims: { 'cognito:username': 'alice' } } })).status,
    ).toBe(401);
    expect(
      (await invoke('/console/api/executions', {}, { iam: { userArn: 'arn:aws:iam::1:user/bob' } })).status,
    ).toBe(401);
  });

  it('answers an authenticated IAM principal', async () => {
    const response = await invoke(
      '/api/executions',
      {},
      { iam: { userArn: 'arn:aws:iam::123456789012:user/ops' } },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ executions: [] });
  });

  it('refuses a console POST without the CSRF token (403), and one whose token does not match its cookie', async () => {
    const alice = { jwt: { claims: { 'cognito:username': 'alice' } } };
    const post = (headers: Record<string, string>) =>
      invoke(
        '/console/api/executions/x/rollback',
        { method: 'POST', headers, body: '{"reason":"r"}' },
        alice,
      );
    expect((await post({ 'content-type': 'application/json' })).status).toBe(403);

    const session = await invoke('/console/api/session', {}, alice);
    const { principal, csrfToken } = (await session.json()) as { principal: string; csrfToken: string };
    expect(principal).toBe('cognito:alice');
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    expect(session.headers.get('set-cookie')).toMatch(/HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/);
    expect((await post({ cookie, 'x-csrf-token': 'f'.repeat(64) })).status).toBe(403);
    expect((await post({ cookie, 'x-csrf-token': csrfToken })).status).toBe(404);
  });

  it('never acts on a GET: the answer and rollback routes accept only POST', async () => {
    const ops = { iam: { userArn: 'arn:aws:iam::123456789012:user/ops' } };
    expect((await invoke('/api/executions/x/rollback?reason=r', {}, ops)).status).toBe(404);
    expect((await invoke('/api/executions/x/answers?answer=approve', {}, ops)).status).toBe(404);
  });

  it('serves the console’s static files without a principal, and no data with them', async () => {
    const page = await invoke('/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await (await invoke('/console/config.json')).json()).toEqual({
      auth: 'cognito',
      domain: 'https://login.example.com',
      clientId: 'client',
    });
    expect((await invoke('/console/api/executions')).status).toBe(401);
  });
});
