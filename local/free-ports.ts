import { createServer, type Server } from 'node:net';

const HOST = '127.0.0.1';

/** Ports the OS reports as free right now, all different. */
export async function freePorts(count: number): Promise<number[]> {
  const probes = await Promise.all(Array.from({ length: count }, () => listenOnFreePort()));
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.server.close(resolve))));
  return probes.map((probe) => probe.port);
}

function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve({ server, port: address.port });
      else reject(new Error('the OS did not report a port'));
    });
  });
}
