/**
 * The workflow (synthesized ASL, run locally) with real AWS adapters faked at the SDK boundary: the ecs
 * and cloudformation deploy kinds, and preflight's blue-record check. One file, so the definition is
 * synthesized once.
 */
import {
  CancelUpdateStackCommand,
  ChangeSetNotFoundException,
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CloudFormationDeployer } from '../../adapters/aws/cloudformation-deployer';
import { EcsDeployer } from '../../adapters/aws/ecs-deployer';
import { Route53TrafficRouter } from '../../adapters/aws/route53-traffic-router';
import type { DeploySpec } from '../../domain/context/execution-context';
import { ErrorNames } from '../../domain/errors';
import {
  deployment,
  describeServicesAnswers,
  ECS,
  service,
  stubTaskDefinitions,
} from '../support/ecs-service';
import { expectCompleted, expectStopped } from '../support/workflow-expectations';
import { fastPlan, Scenario, workflowDefinition, ZONE } from '../support/workflow-harness';

beforeAll(() => workflowDefinition());

const ecs = mockClient(ECSClient);

beforeEach(() => {
  ecs.reset();
  stubTaskDefinitions(ecs);
});

/** A scenario whose deploy step runs the real ECS deployer against ECS faked at the SDK boundary. */
function ecsScenario(execution: string, timeout = '30m'): Scenario {
  const scenario = new Scenario(
    {
      ...fastPlan(),
      deploy: {
        kind: 'ecs',
        cluster: ECS.cluster,
        service: ECS.service,
        container: ECS.container,
        image: ECS.newImage,
        timeout,
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

/** The stop path after ECS's circuit breaker failed the deployment of the new image. */
function expectBreakerStop(
  scenario: Scenario,
  result: Awaited<ReturnType<Scenario['run']>>,
  failedTasks: number,
) {
  expectStopped(
    scenario,
    result,
    'deploy',
    ErrorNames.DeployFailed,
    `green deployment failed: ECS deployment ecs-svc/1008 of ${ECS.newImage} failed: ECS deployment circuit breaker: tasks failed to start. (${failedTasks} tasks failed)`,
  );
}

/** The task definitions the service was pointed at, in order. */
const serviceUpdates = () =>
  ecs.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input.taskDefinition);

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
    expectBreakerStop(scenario, result, 2);
    // The circuit breaker already put revision 7 back: giving up changes nothing more.
    expect(serviceUpdates()).toEqual([ECS.revision(8)]);
  });

  it('points the service back at the revision it ran before when the rollout outlasts the deploy timeout', async () => {
    describeServicesAnswers(
      ecs,
      service(7, [deployment(7, 'COMPLETED')]),
      service(8, [deployment(8, 'IN_PROGRESS'), deployment(7, 'COMPLETED', { status: 'ACTIVE' })]),
    );
    const scenario = ecsScenario('ecs-times-out', '300ms');
    const result = await scenario.run();
    expectStopped(scenario, result, 'deploy', ErrorNames.DeployFailed, 'green was not ready within');
    // The revision recorded by StartDeploy reached CheckDeploy through the state machine.
    expect(serviceUpdates()).toEqual([ECS.revision(8), ECS.revision(7)]);
  });

  it('points the service back when a failed deployment is left in place (circuit breaker without rollback)', async () => {
    describeServicesAnswers(
      ecs,
      service(7, [deployment(7, 'COMPLETED')]),
      service(8, [
        deployment(8, 'FAILED', {
          failedTasks: 3,
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        }),
        deployment(7, 'COMPLETED', { status: 'ACTIVE' }),
      ]),
    );
    const scenario = ecsScenario('ecs-fails-in-place');
    const result = await scenario.run();
    expectBreakerStop(scenario, result, 3);
    expect(serviceUpdates()).toEqual([ECS.revision(8), ECS.revision(7)]);
  });
});

const cfn = mockClient(CloudFormationClient);

beforeEach(() => cfn.reset());

const notFound = () => new ChangeSetNotFoundException({ $metadata: {}, message: 'ChangeSet does not exist' });
const stack = (status: StackStatus) => ({
  Stacks: [{ StackName: 'web-green', CreationTime: new Date('2026-11-26T09:00:00Z'), StackStatus: status }],
});

/** A scenario whose deploy steps run the real CloudFormation deployer against CloudFormation faked at the SDK boundary. */
function stackScenario(execution: string, timeout: string): Scenario {
  const scenario = new Scenario(
    {
      ...fastPlan(),
      deploy: {
        kind: 'cloudformation',
        stackName: 'web-green',
        templateUrl: 'https://cutover-templates.s3.eu-west-1.amazonaws.com/web-green.yaml',
        capabilities: ['CAPABILITY_AUTO_EXPAND'],
        timeout,
      },
    },
    execution,
  );
  Object.assign(scenario.ports, {
    deployer: (deploy: Extract<DeploySpec, { kind: 'cloudformation' }>) =>
      new CloudFormationDeployer(new CloudFormationClient({}), {
        ...deploy,
        roleArn: 'arn:aws:iam::123456789012:role/cutover-cfn',
      }),
  });
  return scenario;
}

describe('cutover workflow: cloudformation deploy kind', () => {
  it('deploys through a change set whose summary is shown before any traffic moves', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce(stack('UPDATE_COMPLETE'))
      .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
      .resolves(stack('UPDATE_COMPLETE'));
    cfn
      .on(DescribeChangeSetCommand)
      .rejectsOnce(notFound())
      .resolvesOnce({
        Status: 'CREATE_COMPLETE',
        ExecutionStatus: 'AVAILABLE',
        Changes: [
          {
            Type: 'Resource',
            ResourceChange: {
              Action: 'Modify',
              LogicalResourceId: 'Service',
              ResourceType: 'AWS::ECS::Service',
              Replacement: 'False',
            },
          },
        ],
      })
      .rejects(notFound());
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs-1' });
    cfn.on(ExecuteChangeSetCommand).resolves({});
    const scenario = stackScenario('stack-completes', '30m');
    const shown: [string, number][] = [];
    const notify = scenario.ports.notifier.notify.bind(scenario.ports.notifier);
    Object.assign(scenario.ports, {
      notifier: {
        notify: async (event: Parameters<typeof notify>[0]) => {
          shown.push([event.message, scenario.greenPercent()]);
          return notify(event);
        },
      },
    });

    const result = await scenario.run();
    expectCompleted(scenario, result);
    expect(cfn).toReceiveCommandWith(CreateChangeSetCommand, {
      StackName: 'web-green',
      ChangeSetType: 'UPDATE',
      Capabilities: ['CAPABILITY_AUTO_EXPAND'],
      RoleARN: 'arn:aws:iam::123456789012:role/cutover-cfn',
    });
    expect(cfn).toReceiveCommandTimes(ExecuteChangeSetCommand, 1);
    expect(shown).toContainEqual(['green changes: Modify Service (AWS::ECS::Service)', 0]);
  });

  it('cancels the stack update still running when the deploy times out, then takes the stop path', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolvesOnce(stack('UPDATE_COMPLETE'))
      .resolves(stack('UPDATE_IN_PROGRESS'));
    cfn.on(DescribeChangeSetCommand).rejectsOnce(notFound()).resolves({
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'EXECUTE_IN_PROGRESS',
    });
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs-1' });
    cfn.on(CancelUpdateStackCommand).resolves({});
    const scenario = stackScenario('stack-times-out', '300ms');

    const result = await scenario.run();
    expectStopped(scenario, result, 'deploy', ErrorNames.DeployFailed, 'green was not ready within');
    expect(cfn).toReceiveCommandWith(CancelUpdateStackCommand, { StackName: 'web-green' });
  });
});

const route53 = mockClient(Route53Client);

beforeEach(() => route53.reset());

/** Route 53 (faked at the SDK boundary) serving the pair all-blue, blue with this TTL and value. */
function liveBlue(ttl: number, value: string) {
  route53.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [
      {
        Name: 'app.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'blue',
        Weight: 100,
        TTL: ttl,
        ResourceRecords: [{ Value: value }],
      },
      {
        Name: 'app.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'green',
        Weight: 0,
        TTL: ttl,
        ResourceRecords: [{ Value: 'green.example.com' }],
      },
    ],
    IsTruncated: false,
    MaxItems: 300,
  });
}

function scenarioOnRoute53(execution: string): Scenario {
  const scenario = new Scenario(fastPlan(), execution);
  Object.assign(scenario.ports, { traffic: new Route53TrafficRouter(new Route53Client({})) });
  return scenario;
}

describe('cutover workflow: preflight compares the live blue records with the plan', () => {
  it('stops before any change when blue is served with another value and TTL, naming the fields', async () => {
    liveBlue(300, 'legacy-lb.example.com.');
    const scenario = scenarioOnRoute53('blue-mismatch');
    const result = await scenario.run();
    const where = `record app.example.com (CNAME, set "blue") in zone ${ZONE}`;
    expectStopped(
      scenario,
      result,
      'preflight',
      ErrorNames.PreflightFailed,
      `${where}: blue.values is [legacy-lb.example.com] live, [blue.example.com] in the plan; describe blue as it is (rollback writes it back); ${where}: ttl is 300 live, 0 in the plan`,
    );
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });
});
