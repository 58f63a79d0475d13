import { userInfo } from 'node:os';
import { startLocalOperatorServer, type LocalOperatorServer } from '../../operator-api/local-server';
import { OperatorService } from '../../operator-api/operator-service';
import { RehearsalBackend } from './rehearsal-backend';

/** The operator of a rehearsal on this machine, as the decision log names them. */
export function rehearsalOperatorIdentity(): string {
  return `local:${userInfo().username}`;
}

/** The operator API and console of a rehearsal, served before its execution starts. */
export async function startRehearsalOperator(
  port?: number,
): Promise<{ backend: RehearsalBackend; server: LocalOperatorServer }> {
  const backend = new RehearsalBackend();
  const server = await startLocalOperatorServer({
    service: new OperatorService({ backend }),
    principal: rehearsalOperatorIdentity(),
    ...(port === undefined ? {} : { port }),
  });
  return { backend, server };
}
