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
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CloudFormationDeployer } from '../../adapters/aws/cloudformation-deployer';
import type { DeploySpec } from '../../domain/context/execution-context';
import { ErrorNames } from '../../domain/errors';
import { expectCompleted, expectStopped } from '../support/workflow-expectations';
import { fastPlan, Scenario, workflowDefinition } from '../support/workflow-harness';

const cfn = mockClient(CloudFormationClient);

beforeAll(() => workflowDefinition());
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
