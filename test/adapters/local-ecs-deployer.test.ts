import { LocalEcsDeployer } from '../../adapters/local/local-ecs-deployer';
import {
  LocalEcsService,
  type LocalTaskDefinition,
  type LocalTaskLauncher,
} from '../../adapters/local/local-ecs-service';

const TARGET = { service: 'orders-green', container: 'app', image: 'orders:2.0.0' };

/** A launcher whose tasks start (or fail to) as told; records what it started and stopped. */
function launcher(fails: (definition: LocalTaskDefinition) => boolean, slowMs = 0) {
  const started: string[] = [];
  const stopped: string[] = [];
  const launch: LocalTaskLauncher = async (definition) => {
    await new Promise((resolve) => setTimeout(resolve, slowMs));
    if (fails(definition)) throw new Error(`the sample app (green) did not start: exited\nmore detail`);
    started.push(definition.arn);
    return { stop: async () => void stopped.push(definition.arn) };
  };
  return { launch, started, stopped };
}

function serviceWith(launch: LocalTaskLauncher) {
  return new LocalEcsService({
    cluster: 'orders',
    service: 'orders-green',
    family: 'orders-green',
    containers: [
      { name: 'app', image: 'orders:1.9.0' },
      { name: 'log-router', image: 'fluent-bit:stable' },
    ],
    launch,
  });
}

/** Polls like the workflow does, until the deployment leaves in_progress. */
async function settle(deployer: LocalEcsDeployer) {
  for (;;) {
    const status = await deployer.status();
    if (status.state !== 'in_progress') return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('LocalEcsDeployer', () => {
  it('registers a revision with the image in the named container, then is steady once its task runs', async () => {
    const tasks = launcher(() => false);
    const service = serviceWith(tasks.launch);
    const deployer = new LocalEcsDeployer(service, TARGET);
    await expect(deployer.start()).resolves.toEqual({
      state: 'in_progress',
      reason: 'deploying orders-green:2',
      changes: ['service orders-green: orders-green:1 → orders-green:2 (app: orders:2.0.0)'],
      rollbackTo: 'orders-green:1',
    });
    expect(service.taskDefinition('orders-green:2')?.containers).toEqual([
      { name: 'app', image: 'orders:2.0.0' },
      { name: 'log-router', image: 'fluent-bit:stable' },
    ]);
    await expect(settle(deployer)).resolves.toEqual({ state: 'complete' });
    expect(tasks.started).toEqual(['orders-green:2']);
    // A retried start registers nothing and follows the same deployment.
    await expect(deployer.start()).resolves.toEqual({ state: 'complete' });
    expect(service.taskDefinition('orders-green:3')).toBeUndefined();
    await service.stop();
    expect(tasks.stopped).toEqual(['orders-green:2']);
  });

  it('fails like the circuit breaker after 3 failed starts, and the service goes back to its revision', async () => {
    const tasks = launcher((d) => d.revision === 2);
    const service = serviceWith(tasks.launch);
    const deployer = new LocalEcsDeployer(service, TARGET);
    await deployer.start();
    await expect(settle(deployer)).resolves.toEqual({
      state: 'failed',
      reason:
        'ECS deployment local-svc/1 of orders:2.0.0 failed: ECS deployment circuit breaker: tasks failed to start. (3 tasks failed)',
    });
    expect(service.describe()).toMatchObject({
      taskDefinition: 'orders-green:1',
      latestEvent: '(service orders-green) deployment local-svc/1 failed; rolling back to orders-green:1.',
    });
    expect(service.history()).toMatchObject([{ taskDefinition: 'orders-green:2', rolloutState: 'FAILED' }]);
    // Already back where it was: giving up changes nothing.
    await deployer.cancel('orders-green:1');
    expect(service.history()).toHaveLength(1);
  });

  it('on cancel, points the service back at the revision it ran before', async () => {
    const tasks = launcher(() => false, 20);
    const service = serviceWith(tasks.launch);
    const deployer = new LocalEcsDeployer(service, TARGET);
    const { rollbackTo } = await deployer.start();
    await deployer.cancel(rollbackTo);
    await expect(settle(deployer)).resolves.toEqual({
      state: 'failed',
      reason:
        'no deployment of orders:2.0.0 on service orders-green (it runs orders-green:1); latest event: (service orders-green) has reached a steady state.',
    });
    // Revision 2's task, superseded as it started, was stopped; revision 1's runs.
    expect(tasks.started).toEqual(['orders-green:2', 'orders-green:1']);
    expect(tasks.stopped).toEqual(['orders-green:2']);
    await service.stop();
    expect(tasks.stopped).toEqual(['orders-green:2', 'orders-green:1']);
  });

  it('fails when the task definition has no container of the plan’s name', async () => {
    const deployer = new LocalEcsDeployer(serviceWith(launcher(() => false).launch), {
      ...TARGET,
      container: 'web',
    });
    await expect(deployer.start()).resolves.toEqual({
      state: 'failed',
      reason: 'task definition orders-green:1 has no container "web" (it has: app, log-router)',
    });
  });
});
