import {
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Capability,
  type CloudFormationClient,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { Deployer, DeploymentStatus } from '../../ports/deployer';
import { isAwsError, rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

export interface CloudFormationDeployerProps {
  readonly stackName: string;
  /** https URL of the template in S3. */
  readonly templateUrl: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly capabilities: readonly Capability[];
  /**
   * The service role CloudFormation deploys with, so the orchestrator itself needs no rights on the
   * stack's resources.
   * @default - CloudFormation uses the caller's credentials
   */
  readonly roleArn?: string;
}

/** Stack states an UpdateStack call is accepted in. */
const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);
const COMPLETE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);
/** Stack-level events that open an operation: older events belong to earlier deployments. */
const OPERATION_START = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'IMPORT_IN_PROGRESS']);
const MAX_EVENT_PAGES = 10;

/** Deploys green as a CloudFormation stack: creates it, or updates it to the plan's template and parameters. */
export class CloudFormationDeployer implements Deployer {
  constructor(
    private readonly client: CloudFormationClient,
    private readonly props: CloudFormationDeployerProps,
  ) {}

  async start(signal?: AbortSignal): Promise<DeploymentStatus> {
    const stack = await this.describe(signal);
    if (!stack) return this.create(signal);
    if (stack.StackStatus && UPDATABLE.has(stack.StackStatus)) return this.update(signal);
    // In progress (possibly our own earlier call) or in a state that needs a human: never call again.
    return this.statusOf(stack, signal);
  }

  async status(signal?: AbortSignal): Promise<DeploymentStatus> {
    const stack = await this.describe(signal);
    if (!stack) return { state: 'failed', reason: `stack ${this.props.stackName} does not exist` };
    return this.statusOf(stack, signal);
  }

  private async create(signal?: AbortSignal): Promise<DeploymentStatus> {
    try {
      await this.client.send(new CreateStackCommand(this.stackInput()), withSignal(signal));
    } catch (error) {
      if (isAwsError(error, 'AlreadyExistsException')) return this.status(signal);
      rethrowAwsError(error);
    }
    return { state: 'in_progress' };
  }

  private async update(signal?: AbortSignal): Promise<DeploymentStatus> {
    try {
      await this.client.send(new UpdateStackCommand(this.stackInput()), withSignal(signal));
    } catch (error) {
      if (isAwsError(error, 'ValidationError') && error.message.includes('No updates are to be performed')) {
        return { state: 'complete' };
      }
      rethrowAwsError(error);
    }
    return { state: 'in_progress' };
  }

  private stackInput() {
    return {
      StackName: this.props.stackName,
      TemplateURL: this.props.templateUrl,
      Parameters: Object.entries(this.props.parameters).map(([key, value]) => ({
        ParameterKey: key,
        ParameterValue: value,
      })),
      Capabilities: [...this.props.capabilities],
      ...(this.props.roleArn ? { RoleARN: this.props.roleArn } : {}),
    };
  }

  private async describe(signal?: AbortSignal): Promise<Stack | undefined> {
    try {
      const { Stacks } = await this.client.send(
        new DescribeStacksCommand({ StackName: this.props.stackName }),
        withSignal(signal),
      );
      return Stacks?.[0];
    } catch (error) {
      if (isAwsError(error, 'ValidationError') && error.message.includes('does not exist')) return undefined;
      return rethrowAwsError(error);
    }
  }

  private async statusOf(stack: Stack, signal?: AbortSignal): Promise<DeploymentStatus> {
    const status = stack.StackStatus ?? 'UNKNOWN';
    if (status.endsWith('_IN_PROGRESS')) return { state: 'in_progress' };
    if (COMPLETE.has(status)) return { state: 'complete' };
    const reason =
      (await this.firstFailure(signal)) ??
      `stack ${this.props.stackName} is ${status}${stack.StackStatusReason ? `: ${stack.StackStatusReason}` : ''}`;
    return { state: 'failed', reason };
  }

  /**
   * The first resource failure of the latest operation. Events come newest first, and the newest failures are
   * usually the "Resource update cancelled" of resources stopped because of the first one.
   */
  private async firstFailure(signal?: AbortSignal): Promise<string | undefined> {
    const failures: StackEvent[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_EVENT_PAGES; page++) {
      const { StackEvents = [], NextToken } = await this.client
        .send(
          new DescribeStackEventsCommand({
            StackName: this.props.stackName,
            ...(nextToken === undefined ? {} : { NextToken: nextToken }),
          }),
          withSignal(signal),
        )
        .catch(rethrowAwsError);
      const start = StackEvents.findIndex((event) => this.opensOperation(event));
      const current = start === -1 ? StackEvents : StackEvents.slice(0, start);
      failures.push(...current.filter((event) => event.ResourceStatus?.endsWith('_FAILED')));
      if (start !== -1 || NextToken === undefined) break;
      nextToken = NextToken;
    }
    const chronological = failures.reverse();
    const first =
      chronological.find((event) => !/cancelled/i.test(event.ResourceStatusReason ?? '')) ?? chronological[0];
    return (
      first &&
      `${first.LogicalResourceId} (${first.ResourceType}): ${first.ResourceStatusReason ?? first.ResourceStatus}`
    );
  }

  private opensOperation(event: StackEvent): boolean {
    return (
      event.ResourceType === 'AWS::CloudFormation::Stack' &&
      event.LogicalResourceId === this.props.stackName &&
      OPERATION_START.has(event.ResourceStatus ?? '')
    );
  }
}
