import {
  CancelUpdateStackCommand,
  ChangeSetNotFoundException,
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type ChangeSetStatus,
  type ExecutionStatus,
  type StackEvent,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CloudFormationDeployer } from '../../../adapters/aws/cloudformation-deployer';

const cfn = mockClient(CloudFormationClient);
const deployer = new CloudFormationDeployer(new CloudFormationClient({}), {
  stackName: 'web-green',
  templateUrl: 'https://cutover-templates.s3.eu-west-1.amazonaws.com/web-green.yaml',
  parameters: { ImageTag: '2026.11.26-1', DesiredCount: '4' },
  capabilities: ['CAPABILITY_IAM'],
  changeSetName: 'cutover-run-1',
  roleArn: 'arn:aws:iam::123456789012:role/cutover-cfn',
});
const stackInput = {
  StackName: 'web-green',
  TemplateURL: 'https://cutover-templates.s3.eu-west-1.amazonaws.com/web-green.yaml',
  Parameters: [
    { ParameterKey: 'ImageTag', ParameterValue: '2026.11.26-1' },
    { ParameterKey: 'DesiredCount', ParameterValue: '4' },
  ],
  Capabilities: ['CAPABILITY_IAM'],
};

function validationError(message: string): Error {
  return Object.assign(new Error(message), { name: 'ValidationError' });
}

function stack(status: StackStatus, reason?: string) {
  return {
    Stacks: [
      {
        StackName: 'web-green',
        StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/web-green/1a2b3c4d',
        CreationTime: new Date('2026-11-26T09:00:00Z'),
        StackStatus: status,
        ...(reason === undefined ? {} : { StackStatusReason: reason }),
      },
    ],
  };
}

function event(logicalId: string, type: string, status: string, reason?: string): StackEvent {
  return {
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/web-green/1a2b3c4d',
    StackName: 'web-green',
    EventId: `${logicalId}-${status}`,
    LogicalResourceId: logicalId,
    ResourceType: type,
    ResourceStatus: status as StackEvent['ResourceStatus'],
    Timestamp: new Date('2026-11-26T10:00:00Z'),
    ...(reason === undefined ? {} : { ResourceStatusReason: reason }),
  };
}

const notFound = () =>
  new ChangeSetNotFoundException({ $metadata: {}, message: 'ChangeSet [cutover-run-1] does not exist' });

beforeEach(() => {
  cfn.reset();
  cfn.on(DescribeChangeSetCommand).rejects(notFound());
});

function changeSet(status: ChangeSetStatus, execution: ExecutionStatus, extra: Record<string, unknown> = {}) {
  return {
    ChangeSetName: 'cutover-run-1',
    StackName: 'web-green',
    Status: status,
    ExecutionStatus: execution,
    Changes: [
      {
        Type: 'Resource' as const,
        ResourceChange: {
          Action: 'Modify' as const,
          LogicalResourceId: 'Service',
          ResourceType: 'AWS::ECS::Service',
          Replacement: 'False' as const,
        },
      },
      {
        Type: 'Resource' as const,
        ResourceChange: {
          Action: 'Modify' as const,
          LogicalResourceId: 'TaskDefinition',
          ResourceType: 'AWS::ECS::TaskDefinition',
          Replacement: 'True' as const,
        },
      },
      {
        Type: 'Resource' as const,
        ResourceChange: {
          Action: 'Add' as const,
          LogicalResourceId: 'Queue',
          ResourceType: 'AWS::SQS::Queue',
        },
      },
    ],
    ...extra,
  };
}

describe('start', () => {
  it('creates a CREATE change set when the stack does not exist, with the service role and capabilities', async () => {
    cfn.on(DescribeStacksCommand).rejects(validationError('Stack with id web-green does not exist'));
    cfn
      .on(CreateChangeSetCommand)
      .resolves({ Id: 'arn:aws:cloudformation:eu-west-1:123456789012:changeSet/cutover-run-1/1' });

    await expect(deployer.start()).resolves.toEqual({
      state: 'in_progress',
      reason: 'change set cutover-run-1 is being created',
    });
    expect(cfn).toReceiveCommandWith(CreateChangeSetCommand, {
      ...stackInput,
      ChangeSetName: 'cutover-run-1',
      ChangeSetType: 'CREATE',
      RoleARN: 'arn:aws:iam::123456789012:role/cutover-cfn',
    });
  });

  it('creates an UPDATE change set for a stack that exists', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs-1' });

    await deployer.start();
    expect(cfn).toReceiveCommandWith(CreateChangeSetCommand, {
      ChangeSetType: 'UPDATE',
      ChangeSetName: 'cutover-run-1',
    });
  });

  it('executes the ready change set and reports its summary of changes', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    cfn.on(DescribeChangeSetCommand).resolves(changeSet('CREATE_COMPLETE', 'AVAILABLE'));
    cfn.on(ExecuteChangeSetCommand).resolves({});

    await expect(deployer.start()).resolves.toEqual({
      state: 'in_progress',
      reason: 'executing change set cutover-run-1',
      changes: [
        'Modify Service (AWS::ECS::Service)',
        'Modify TaskDefinition (AWS::ECS::TaskDefinition, replaced)',
        'Add Queue (AWS::SQS::Queue)',
      ],
    });
    expect(cfn).toReceiveCommandWith(ExecuteChangeSetCommand, {
      StackName: 'web-green',
      ChangeSetName: 'cutover-run-1',
    });
    expect(cfn).toReceiveCommandTimes(CreateChangeSetCommand, 0);
  });

  it('is complete when the change set has nothing to change', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('CREATE_COMPLETE'));
    cfn.on(DescribeChangeSetCommand).resolves(
      changeSet('FAILED', 'UNAVAILABLE', {
        StatusReason:
          "The submitted information didn't contain changes. Submit different information to create a change set.",
      }),
    );

    await expect(deployer.start()).resolves.toEqual({ state: 'complete' });
    expect(cfn).toReceiveCommandTimes(ExecuteChangeSetCommand, 0);
  });

  it("fails with CloudFormation's reason when the change set cannot be created", async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('CREATE_COMPLETE'));
    cfn.on(DescribeChangeSetCommand).resolves(
      changeSet('FAILED', 'UNAVAILABLE', {
        StatusReason: 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]',
      }),
    );

    await expect(deployer.start()).resolves.toEqual({
      state: 'failed',
      reason: 'change set cutover-run-1 is FAILED: Requires capabilities : [CAPABILITY_AUTO_EXPAND]',
    });
  });

  it('does not call again while the stack is in progress', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_IN_PROGRESS'));

    await expect(deployer.start()).resolves.toEqual({ state: 'in_progress' });
    expect(cfn).toReceiveCommandTimes(CreateChangeSetCommand, 0);
    expect(cfn).toReceiveCommandTimes(ExecuteChangeSetCommand, 0);
  });

  it('fails without calling again when a failed create left the stack in ROLLBACK_COMPLETE', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('ROLLBACK_COMPLETE'));
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        event('web-green', 'AWS::CloudFormation::Stack', 'ROLLBACK_COMPLETE'),
        event(
          'Service',
          'AWS::ECS::Service',
          'CREATE_FAILED',
          'Resource handler returned message: "Invalid request provided"',
        ),
        event('web-green', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated'),
      ],
    });

    await expect(deployer.start()).resolves.toEqual({
      state: 'failed',
      reason: 'Service (AWS::ECS::Service): Resource handler returned message: "Invalid request provided"',
    });
    expect(cfn).toReceiveCommandTimes(CreateChangeSetCommand, 0);
  });

  it('fails with Throttled when CloudFormation throttles', async () => {
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

    await expect(deployer.start()).rejects.toMatchObject({ name: 'Throttled' });
  });
});

describe('cancel', () => {
  it('cancels a stack update still in progress', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_IN_PROGRESS'));
    cfn.on(CancelUpdateStackCommand).resolves({});

    await deployer.cancel();
    expect(cfn).toReceiveCommandWith(CancelUpdateStackCommand, { StackName: 'web-green' });
  });

  it('does nothing when no update is running, or when it finished meanwhile', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_COMPLETE'));
    await deployer.cancel();
    expect(cfn).toReceiveCommandTimes(CancelUpdateStackCommand, 0);

    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_IN_PROGRESS'));
    cfn
      .on(CancelUpdateStackCommand)
      .rejects(validationError('CancelUpdateStack cannot be called from current stack status'));
    await expect(deployer.cancel()).resolves.toBeUndefined();
  });
});

describe('status', () => {
  it.each([
    ['CREATE_IN_PROGRESS', 'in_progress'],
    ['UPDATE_IN_PROGRESS', 'in_progress'],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'in_progress'],
    ['ROLLBACK_IN_PROGRESS', 'in_progress'],
    ['UPDATE_ROLLBACK_IN_PROGRESS', 'in_progress'],
    ['CREATE_COMPLETE', 'complete'],
    ['UPDATE_COMPLETE', 'complete'],
    ['CREATE_FAILED', 'failed'],
    ['ROLLBACK_COMPLETE', 'failed'],
    ['ROLLBACK_FAILED', 'failed'],
    ['UPDATE_ROLLBACK_COMPLETE', 'failed'],
    ['UPDATE_ROLLBACK_FAILED', 'failed'],
  ] as const)('maps %s to %s', async (status, state) => {
    cfn.on(DescribeStacksCommand).resolves(stack(status));
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });

    await expect(deployer.status()).resolves.toMatchObject({ state });
  });

  it('names the first failed resource of the latest operation, not the cancelled ones', async () => {
    cfn.on(DescribeStacksCommand).resolves(stack('UPDATE_ROLLBACK_COMPLETE'));
    cfn
      .on(DescribeStackEventsCommand)
      .resolvesOnce({
        StackEvents: [
          event('web-green', 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_COMPLETE'),
          event('TaskDefinition', 'AWS::ECS::TaskDefinition', 'UPDATE_COMPLETE'),
          event(
            'web-green',
            'AWS::CloudFormation::Stack',
            'UPDATE_ROLLBACK_IN_PROGRESS',
            'The following resource(s) failed to update: [Service, Listener]',
          ),
          event(
            'Listener',
            'AWS::ElasticLoadBalancingV2::Listener',
            'UPDATE_FAILED',
            'Resource update cancelled',
          ),
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        StackEvents: [
          event(
            'Service',
            'AWS::ECS::Service',
            'UPDATE_FAILED',
            'ECS Deployment Circuit Breaker was triggered',
          ),
          event('TaskDefinition', 'AWS::ECS::TaskDefinition', 'UPDATE_IN_PROGRESS'),
          event('web-green', 'AWS::CloudFormation::Stack', 'UPDATE_IN_PROGRESS', 'User Initiated'),
          event('OldQueue', 'AWS::SQS::Queue', 'CREATE_FAILED', 'an earlier deployment'),
        ],
        NextToken: 'page-3',
      });

    await expect(deployer.status()).resolves.toEqual({
      state: 'failed',
      reason: 'Service (AWS::ECS::Service): ECS Deployment Circuit Breaker was triggered',
    });
    expect(cfn).toReceiveCommandTimes(DescribeStackEventsCommand, 2);
    expect(cfn).toReceiveCommandWith(DescribeStackEventsCommand, {
      StackName: 'web-green',
      NextToken: 'page-2',
    });
  });

  it('falls back to the stack status reason when no resource failed', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves(stack('ROLLBACK_COMPLETE', 'The following resource(s) failed to create: []'));
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });

    await expect(deployer.status()).resolves.toEqual({
      state: 'failed',
      reason: 'stack web-green is ROLLBACK_COMPLETE: The following resource(s) failed to create: []',
    });
  });

  it('fails when the stack does not exist', async () => {
    cfn.on(DescribeStacksCommand).rejects(validationError('Stack with id web-green does not exist'));

    await expect(deployer.status()).resolves.toEqual({
      state: 'failed',
      reason: 'stack web-green does not exist',
    });
  });
});
