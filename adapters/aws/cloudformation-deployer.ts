import {
  CancelUpdateStackCommand,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Capability,
  type CloudFormationClient,
  type DescribeChangeSetCommandOutput,
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
  /** CAPABILITY_AUTO_EXPAND lets a template use transforms (e.g. AWS::Serverless) or macros. */
  readonly capabilities: readonly Capability[];
  /** One change set per execution, so a retried step finds the one it made. */
  readonly changeSetName: string;
  /**
   * The service role CloudFormation deploys with, so the orchestrator itself needs no rights on the
   * stack's resources.
   * @default - CloudFormation uses the caller's credentials
   */
  readonly roleArn?: string;
}

type ChangeSet = DescribeChangeSetCommandOutput;

/** Stack states a change set of type UPDATE is accepted in. */
const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);
/** A stack a CREATE change set made, waiting for its execution. */
const AWAITING_CREATE = 'REVIEW_IN_PROGRESS';
const COMPLETE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);
/** Stack-level events that open an operation: older events belong to earlier deployments. */
const OPERATION_START = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'IMPORT_IN_PROGRESS']);
const MAX_EVENT_PAGES = 10;
/** Changes listed in the summary; the rest are counted (the summary travels in the execution history). */
const MAX_LISTED_CHANGES = 40;
const NOTHING_TO_CHANGE = /didn't contain changes|No updates are to be performed/i;

/**
 * Deploys green as a CloudFormation stack through a change set: created (CREATE or UPDATE), then
 * executed, its summary of changes returned the moment it is executed so the workflow shows it before
 * traffic moves. A stack update still running when the cutover gives up is cancelled.
 */
export class CloudFormationDeployer implements Deployer {
  constructor(
    private readonly client: CloudFormationClient,
    private readonly props: CloudFormationDeployerProps,
  ) {}

  async start(signal?: AbortSignal): Promise<DeploymentStatus> {
    const stack = await this.describe(signal);
    const status = stack?.StackStatus ?? AWAITING_CREATE;
    // In progress (possibly our own earlier execution) or in a state that needs a human: never call again.
    if (status !== AWAITING_CREATE && !UPDATABLE.has(status)) return this.statusOf(stack!, signal);
    const changeSet = await this.describeChangeSet(signal);
    if (changeSet) return this.advance(changeSet, signal);
    await this.client
      .send(
        new CreateChangeSetCommand({
          ...this.stackInput(),
          ChangeSetName: this.props.changeSetName,
          ChangeSetType: status === AWAITING_CREATE ? 'CREATE' : 'UPDATE',
          Description: 'cutover: green deployment',
        }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
    return { state: 'in_progress', reason: `change set ${this.props.changeSetName} is being created` };
  }

  async status(signal?: AbortSignal): Promise<DeploymentStatus> {
    const changeSet = await this.describeChangeSet(signal);
    if (changeSet) return this.advance(changeSet, signal);
    // CloudFormation deletes a stack's change sets once one of them is executed: follow the stack.
    const stack = await this.describe(signal);
    if (!stack) return { state: 'failed', reason: `stack ${this.props.stackName} does not exist` };
    return this.statusOf(stack, signal);
  }

  /** Cancels a stack update still in progress (CloudFormation then rolls it back); nothing otherwise. */
  async cancel(_rollbackTo?: string, signal?: AbortSignal): Promise<void> {
    const stack = await this.describe(signal);
    if (stack?.StackStatus !== 'UPDATE_IN_PROGRESS') return;
    try {
      await this.client.send(
        new CancelUpdateStackCommand({ StackName: this.props.stackName }),
        withSignal(signal),
      );
    } catch (error) {
      // The update finished between the two calls: there is nothing left to cancel.
      if (isAwsError(error, 'ValidationError')) return;
      rethrowAwsError(error);
    }
  }

  private async advance(changeSet: ChangeSet, signal?: AbortSignal): Promise<DeploymentStatus> {
    const name = this.props.changeSetName;
    switch (changeSet.Status) {
      case 'CREATE_PENDING':
      case 'CREATE_IN_PROGRESS':
        return { state: 'in_progress', reason: `change set ${name} is being created` };
      case 'CREATE_COMPLETE':
        break;
      default: {
        if (NOTHING_TO_CHANGE.test(changeSet.StatusReason ?? '')) return { state: 'complete' };
        return {
          state: 'failed',
          reason: `change set ${name} is ${changeSet.Status}: ${changeSet.StatusReason ?? 'no reason given'}`,
        };
      }
    }
    switch (changeSet.ExecutionStatus) {
      case 'AVAILABLE':
        await this.client
          .send(
            new ExecuteChangeSetCommand({ StackName: this.props.stackName, ChangeSetName: name }),
            withSignal(signal),
          )
          .catch(rethrowAwsError);
        return { state: 'in_progress', reason: `executing change set ${name}`, changes: summary(changeSet) };
      case 'OBSOLETE':
        return {
          state: 'failed',
          reason: `change set ${name} is obsolete: stack ${this.props.stackName} was changed meanwhile`,
        };
      default: {
        const stack = await this.describe(signal);
        return stack
          ? this.statusOf(stack, signal)
          : { state: 'in_progress', reason: `executing change set ${name}` };
      }
    }
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

  private async describeChangeSet(signal?: AbortSignal): Promise<ChangeSet | undefined> {
    try {
      return await this.client.send(
        new DescribeChangeSetCommand({
          StackName: this.props.stackName,
          ChangeSetName: this.props.changeSetName,
        }),
        withSignal(signal),
      );
    } catch (error) {
      if (isAwsError(error, 'ChangeSetNotFoundException', 'ChangeSetNotFound')) return undefined;
      // DescribeChangeSet on a stack that does not exist yet.
      if (isAwsError(error, 'ValidationError') && error.message.includes('does not exist')) return undefined;
      return rethrowAwsError(error);
    }
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

/** One line per resource change: what CloudFormation will do, and whether it replaces the resource. */
function summary(changeSet: ChangeSet): string[] {
  const changes = (changeSet.Changes ?? []).flatMap((change) =>
    change.ResourceChange ? [change.ResourceChange] : [],
  );
  const lines = changes.slice(0, MAX_LISTED_CHANGES).map((change) => {
    const replacement =
      change.Replacement === 'True'
        ? ', replaced'
        : change.Replacement === 'Conditional'
          ? ', may be replaced'
          : '';
    return `${change.Action} ${change.LogicalResourceId} (${change.ResourceType}${replacement})`;
  });
  if (changes.length > MAX_LISTED_CHANGES) lines.push(`… and ${changes.length - MAX_LISTED_CHANGES} more`);
  return lines;
}
