import { ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EcsDeployer } from '../../adapters/aws/ecs-deployer';
import { ErrorNames } from '../../domain/errors';
import {
  deployment,
  describeServicesAnswers,
  ECS,
  service,
  stubTaskDefinitions,
} from '../support/ecs-service';
import { expectCompleted, expectStopped } from '../support/workflow-expectations';
import { fastPlan, Scenario, workflowDefinition } from '../support/workflow-harness';

const ecs = mockClient(ECSClient);

beforeAll(() => workflowDefinition());
beforeEach(() => {
  ecs.reset();
  stubTaskDefinitions(ecs);
});

/** A scenario whose deploy step runs the real ECS deployer against ECS faked at the SDK boundary. */
function ecsScenario(execution: string): Scenario {
  const scenario = new Scenario(
    {
      ...fastPlan(),
      deploy: {
        kind: 'ecs',
        cluster: ECS.cluster,
        service: ECS.service,
        container: ECS.container,
        image: ECS.newImage,
      },
    },
    execution,
  );
  Object.assign(scenario.ports, {
    deployer: () =>
      new EcsDeployer(new ECSClient({}), {
        cluster: ECS.cluster,
        service: ECS.service,
        container: ECS.container,
        image: ECS.newImage,
      }),
  });
  return scenario;
}

describe('cutover workflow: ecs deploy kind', () => {
  it('registers the new revision, polls until the rollout completes, then shifts traffic', async () => {
    describeServicesAnswers(
      ecs,
      service(7, [deployment(7, 'COMPLETED')]),
      service(8, [deployment(8, 'IN_PROGRESS'), deployment(7, 'COMPLETED', { status: 'ACTIVE' })]),
      service(8, [deployment(8, 'COMPLETED')]),
    );
    const scenario = ecsScenario('ecs-completes');
    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(ecs).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 1);
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { taskDefinition: ECS.revision(8) });
    expect(scenario.weightHistory.at(-1)).toEqual({ blue: 0, green: 100 });
  });

  it('takes the stop path with ECS’s reason when the circuit breaker fails the deployment', async () => {
    describeServicesAnswers(
      ecs,
      service(7, [deployment(7, 'COMPLETED')]),
      service(8, [deployment(8, 'IN_PROGRESS'), deployment(7, 'COMPLETED', { status: 'ACTIVE' })]),
      service(7, [
        deployment(7, 'IN_PROGRESS', { id: 'ecs-svc/rollback' }),
        deployment(8, 'FAILED', {
          status: 'ACTIVE',
          failedTasks: 2,
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        }),
      ]),
    );
    const scenario = ecsScenario('ecs-fails');
    const result = await scenario.run();
    expectStopped(
      scenario,
      result,
      'deploy',
      ErrorNames.DeployFailed,
      `green deployment failed: ECS deployment ecs-svc/1008 of ${ECS.newImage} failed: ECS deployment circuit breaker: tasks failed to start. (2 tasks failed)`,
    );
  });
});
