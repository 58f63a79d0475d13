import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScriptsLocally } from '../../local/runbook/run-script';
import { oneStepRunbook } from './support/local-runbook';

/** A systemctl stand-in that records its arguments (the host's systemd is not ours to restart). */
function fakeSystemctl(directory: string): { program: string; calls: () => string[] } {
  const log = join(directory, 'calls');
  const program = join(directory, 'systemctl');
  writeFileSync(program, `#!/bin/sh\necho "$@" >> '${log}'\n`);
  chmodSync(program, 0o755);
  return { program, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('restart-unhealthy-service --local', () => {
  const setup = (port: number) => {
    const directory = mkdtempSync(join(tmpdir(), 'restart-'));
    const systemctl = fakeSystemctl(directory);
    const runbook = oneStepRunbook({
      script: 'restart-unhealthy-service',
      parameters: {
        service: 'orders.service',
        healthCheck: 'http',
        healthUrl: `http://127.0.0.1:${port}/healthz`,
        maxRestartsPerHour: 2,
      },
    });
    const extraArguments = [
      '--systemctl',
      systemctl.program,
      '--state-dir',
      directory,
      '--settle-seconds',
      '0',
    ];
    return {
      runbook,
      systemctl,
      run: (dryRun = false) => runScriptsLocally(runbook, { dryRun, extraArguments }),
    };
  };

  it('leaves a healthy service alone', async () => {
    const server = createServer((_, response) => response.end('ok'));
    const port = await listen(server);
    const { run, systemctl } = setup(port);
    try {
      expect((await run()).result).toMatchObject({ status: 'unchanged', healthy: true });
      expect(systemctl.calls()).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('restarts a failing service at most N times an hour, then escalates (the run fails)', async () => {
    const server = createServer((_, response) => response.writeHead(503).end());
    const port = await listen(server);
    const { run, systemctl } = setup(port);
    try {
      expect((await run(true)).result).toMatchObject({ status: 'unchanged', wouldRestart: true });
      expect(systemctl.calls()).toEqual([]);
      expect((await run()).result).toMatchObject({ status: 'changed', restarted: true, restartsLastHour: 1 });
      expect((await run()).result).toMatchObject({ status: 'changed', restartsLastHour: 2 });
      const third = await run();
      expect(third).toMatchObject({ status: 'Failed', outcome: 'escalated' });
      expect(third.result).toMatchObject({
        escalate: 'restarted 2 times in the last hour; a human must look',
      });
      expect(systemctl.calls()).toEqual(['restart orders.service', 'restart orders.service']);
    } finally {
      server.close();
    }
  });
});
