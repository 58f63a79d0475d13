import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { operatorApi } from './app';
import type { OperatorService } from './operator-service';
import { localPrincipal } from './principal';

export interface LocalOperatorServer {
  /** e.g. http://127.0.0.1:43123: the CLI's --endpoint; the console is under /console/. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the operator API and the console on this machine's loopback, for a rehearsal. */
export async function startLocalOperatorServer(options: {
  readonly service: OperatorService;
  /** Who the rehearsal's operator is (recorded in the decision log). */
  readonly principal: string;
  /** @default 0 - any free port */
  readonly port?: number;
}): Promise<LocalOperatorServer> {
  const app = operatorApi({
    service: options.service,
    principalOf: localPrincipal(options.principal),
    console: { auth: 'local' },
  });
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve(
      { fetch: app.fetch, hostname: '127.0.0.1', port: options.port ?? 0 },
      () => resolve(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
