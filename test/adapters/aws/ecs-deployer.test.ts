import {
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EcsDeployer } from '../../../adapters/aws/ecs-deployer';
import {
  deployment,
  describeServicesAnswers,
  ECS,
  service,
  stubTaskDefinitions,
} from '../../support/ecs-service';

const ecs = mockClient(ECSClient);
const deployer = new EcsDeployer(new ECSClient({}), {
  cluster: ECS.cluster,
  service: ECS.service,
  container: ECS.container,
  image: ECS.newImage,
});

beforeEach(() => {
  ecs.reset();
  stubTaskDefinitions(ecs);
});

describe('EcsDeployer', () => {
  it('registers a new revision with the plan image in the named container only, and points the service at it', async () => {
    describeServicesAnswers(ecs, service(7, [deployment(7, 'COMPLETED')]));
    await expect(deployer.start()).resolves.toEqual({
      state: 'in_progress',
      reason: `deploying ${ECS.revision(8)}`,
      changes: [`service orders-green: ${ECS.revision(7)} → ${ECS.revision(8)} (app: ${ECS.newImage})`],
      rollbackTo: ECS.revision(7),
    });
    expect(ecs).toHaveReceivedCommandWith(DescribeServicesCommand, {
      cluster: 'orders',
      services: ['orders-green'],
    });
    const register = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]!.args[0].input;
    expect(register.family).toBe('orders-green');
    expect(register.containerDefinitions?.map((c) => [c.name, c.image])).toEqual([
      ['app', ECS.newImage],
      ['log-router', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable'],
    ]);
    expect(register).toMatchObject({
      taskRoleArn: 'arn:aws:iam::123456789012:role/orders-task',
      executionRoleArn: 'arn:aws:iam::123456789012:role/orders-execution',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      tags: [{ key: 'app', value: 'orders' }],
    });
    expect(register).not.toHaveProperty('revision');
    expect(register).not.toHaveProperty('taskDefinitionArn');
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: 'orders',
      service: 'orders-green',
      taskDefinition: ECS.revision(8),
    });
  });

  it('registers nothing again when the service already asks for the image (a retried start)', async () => {
    describeServicesAnswers(
      ecs,
      service(8, [deployment(8, 'IN_PROGRESS'), deployment(7, 'COMPLETED', { status: 'ACTIVE' })]),
    );
    await expect(deployer.start()).resolves.toEqual({
      state: 'in_progress',
      reason: '1/2 tasks running',
      rollbackTo: ECS.revision(7),
    });
    expect(ecs).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 0);
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 0);
  });

  it('is complete when the deployment of the image is PRIMARY and COMPLETED', async () => {
    describeServicesAnswers(ecs, service(8, [deployment(8, 'COMPLETED')]));
    await expect(deployer.status()).resolves.toEqual({ state: 'complete' });
  });

  it('reports a deployment the circuit breaker failed, with its reason', async () => {
    describeServicesAnswers(
      ecs,
      service(7, [
        deployment(7, 'IN_PROGRESS', { id: 'ecs-svc/rollback' }),
        deployment(8, 'FAILED', {
          status: 'ACTIVE',
          failedTasks: 3,
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        }),
      ]),
    );
    await expect(deployer.status()).resolves.toEqual({
      state: 'failed',
      reason: `ECS deployment ecs-svc/1008 of ${ECS.newImage} failed: ECS deployment circuit breaker: tasks failed to start. (3 tasks failed)`,
    });
  });

  it('fails when the deployment is gone after a rollback, quoting the latest service event', async () => {
    describeServicesAnswers(
      ecs,
      service(
        7,
        [deployment(7, 'COMPLETED')],
        ['(service orders-green) rolling back to deployment ecs-svc/1007.'],
      ),
    );
    await expect(deployer.status()).resolves.toEqual({
      state: 'failed',
      reason: `no deployment of ${ECS.newImage} on service orders-green (it runs ${ECS.revision(7)}); latest event: (service orders-green) rolling back to deployment ecs-svc/1007.`,
    });
  });

  it('fails when the service does not exist or the container is not in the task definition', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] });
    await expect(deployer.start()).resolves.toEqual({
      state: 'failed',
      reason: 'ECS service orders-green is not an active service of cluster orders',
    });
    const other = new EcsDeployer(new ECSClient({}), {
      cluster: ECS.cluster,
      service: ECS.service,
      container: 'web',
      image: ECS.newImage,
    });
    describeServicesAnswers(ecs, service(7, [deployment(7, 'COMPLETED')]));
    await expect(other.start()).resolves.toEqual({
      state: 'failed',
      reason: `task definition ${ECS.revision(7)} has no container "web" (it has: app, log-router)`,
    });
  });

  it('on cancel, points the service back at the task definition recorded at start', async () => {
    describeServicesAnswers(
      ecs,
      service(8, [deployment(8, 'IN_PROGRESS'), deployment(7, 'COMPLETED', { status: 'ACTIVE' })]),
    );
    await deployer.cancel(ECS.revision(7));
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: 'orders',
      service: 'orders-green',
      taskDefinition: ECS.revision(7),
    });
  });

  it('on cancel, changes nothing when the circuit breaker already rolled back or nothing was recorded', async () => {
    describeServicesAnswers(
      ecs,
      service(7, [
        deployment(7, 'IN_PROGRESS', { id: 'ecs-svc/rollback' }),
        deployment(8, 'FAILED', { status: 'ACTIVE', failedTasks: 3 }),
      ]),
    );
    await deployer.cancel(ECS.revision(7));
    await deployer.cancel(undefined);
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 0);
    expect(ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
  });

  it('turns throttling into the error name the state machine retries', async () => {
    ecs
      .on(DescribeServicesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(deployer.status()).rejects.toMatchObject({ name: 'Throttled' });
  });
});
