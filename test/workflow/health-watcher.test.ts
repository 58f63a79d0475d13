import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalTaskCallbacks } from '../../adapters/local/local-task-callbacks';
import { MemoryControlSignals } from '../../adapters/local/memory-control-signals';
import { HttpProbe } from '../../adapters/http/http-probe';
import type { ProbeSpec } from '../../domain/context/execution-context';
import { ErrorNames } from '../../domain/errors';
import { NO_ROUNDS } from '../../domain/health/verdict';
import type { WatcherSchedule } from '../../ports/control-signals';
import type { Ports } from '../../workflow/ports';
import { watchBakesOnce, watchBakesStep } from '../../workflow/steps/bake';

let server: Server;
let healthyUrl: string;

beforeAll(async () => {
  server = createServer((_, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  healthyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** A pending bake whose hold is over: the next healthy round promotes it. */
function ripeBake(probes: readonly ProbeSpec[]) {
  const past = new Date(Date.now() - 60_000).toISOString();
  return {
    health: { probes, intervalSeconds: 1, failureThreshold: 1, inconclusiveLimit: 1 },
    stepIndex: 1,
    greenPercent: 50,
    tickets: [],
    holdSeconds: 0,
    inSyncAt: past,
    nextProbeAt: past,
    counters: NO_ROUNDS,
  };
}

/** The watcher's ports: the real probes (HTTP, built by the AWS composition's factory), waits in memory. */
function watcherPorts(schedule?: WatcherSchedule) {
  const control = new MemoryControlSignals();
  const callbacks = new LocalTaskCallbacks();
  const ports = {
    control,
    callbacks,
    now: () => new Date(),
    traffic: { isInSync: async () => true },
    // The Lambda wiring's probes refuse loopback (the Runtime API lives there); this server is on it.
    healthProbes: (probes: readonly ProbeSpec[]) =>
      probes.map((probe) => {
        if (probe.kind !== 'http') throw new Error(`unexpected ${probe.kind} probe`);
        return new HttpProbe({
          url: probe.url,
          expectStatus: probe.expectStatus,
          latencyBudgetMs: probe.latencyBudgetSeconds * 1000,
        });
      }),
    ...(schedule ? { watcherSchedule: schedule } : {}),
  } as unknown as Ports;
  return { ports, control, callbacks };
}

async function pendingBake(
  world: ReturnType<typeof watcherPorts>,
  execution: string,
  probes: readonly ProbeSpec[],
): Promise<{ answer: Promise<Record<string, unknown>> }> {
  const { token, answer } = world.callbacks.issue();
  await world.control.setPending(execution, {
    kind: 'bake',
    taskToken: token,
    since: new Date().toISOString(),
    detail: ripeBake(probes),
  });
  return { answer };
}

describe('health watcher', () => {
  it('fails only the poisoned execution, with its cause, and promotes the other execution’s bake', async () => {
    const world = watcherPorts();
    // Probes no valid plan has (the schema refuses them), as a corrupted or hand-written record could hold.
    const { answer: poisoned } = await pendingBake(world, 'poisoned', [
      { kind: 'http', url: healthyUrl, expectStatus: 200, latencyBudgetSeconds: 0 },
    ]);
    const { answer: healthy } = await pendingBake(world, 'healthy', [
      { kind: 'http', url: healthyUrl, expectStatus: 200, latencyBudgetSeconds: 2 },
    ]);

    await expect(watchBakesOnce(world.ports)).resolves.toEqual({ watched: 2, probed: 2, completed: 2 });
    await expect(healthy).resolves.toEqual({ answer: 'bake', promoted: true, rounds: 1 });
    await expect(poisoned).rejects.toMatchObject({
      name: ErrorNames.HealthCheckFailed,
      message: 'step 2 (50 % green): the plan’s probes cannot run: latencyBudgetMs must be positive, got 0',
    });
    expect((await world.control.listPending('bake')).length).toBe(0);
  });

  it('answers bakes only: a pending approval is left to the operator', async () => {
    const world = watcherPorts();
    const { token } = world.callbacks.issue();
    await world.control.setPending('gated', { kind: 'approval', taskToken: token, since: '', detail: {} });
    await expect(watchBakesOnce(world.ports)).resolves.toMatchObject({ completed: 0 });
    expect((await world.control.get('gated')).pending?.kind).toBe('approval');
  });

  it('never writes back a wait that was answered or replaced since it was read', async () => {
    const world = watcherPorts();
    await pendingBake(world, 'exec-1', []);
    const { taskToken } = (await world.control.get('exec-1')).pending!;
    await world.control.setPending('exec-1', { kind: 'bake', taskToken: 'newer', since: '', detail: {} });
    await expect(world.control.updatePending('exec-1', taskToken, { stale: true })).resolves.toBe(false);
    expect((await world.control.get('exec-1')).pending).toMatchObject({ taskToken: 'newer', detail: {} });
  });

  it('runs one at a time: a second watcher started meanwhile steps aside', async () => {
    const world = watcherPorts();
    await world.control.claimWatcher('first', new Date(), new Date(Date.now() + 60_000));
    await expect(watchBakesStep.run(world.ports, { windowSeconds: 0 })).resolves.toMatchObject({
      skipped: 'another watcher is running',
    });
  });

  it('turns its schedule off once no bake is pending, and leaves it on while one is', async () => {
    const calls: string[] = [];
    const schedule: WatcherSchedule = {
      start: async () => void calls.push('start'),
      stop: async () => void calls.push('stop'),
    };
    const idle = watcherPorts(schedule);
    await watchBakesStep.run(idle.ports, { windowSeconds: 0 });
    expect(calls).toEqual(['stop']);

    calls.length = 0;
    const busy = watcherPorts(schedule);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const { token } = busy.callbacks.issue();
    await busy.control.setPending('long-bake', {
      kind: 'bake',
      taskToken: token,
      since: '',
      detail: { ...ripeBake([]), nextProbeAt: later },
    });
    await watchBakesStep.run(busy.ports, { windowSeconds: 0 });
    expect(calls).toEqual([]);
  });
});
