import {
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  paginateListTasks,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  paginateDescribeInstanceInformation,
  type InstanceInformationStringFilter,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { OPT_IN_TAG, type Runbook } from '../../domain/runbook/schema';
import type { TargetResolver } from '../../ports/runbook-targets';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

const DESCRIBE_TASKS_MAX = 100;

/**
 * Runbook targets on AWS: online SSM managed instances carrying the opt-in tag and the runbook's tags,
 * or, for an ECS service, the EC2 container instances its running tasks are placed on (Fargate tasks
 * have no host to command and are left out).
 */
export class AwsTargetResolver implements TargetResolver {
  constructor(
    private readonly ssm: SSMClient,
    private readonly ecs: ECSClient,
  ) {}

  async resolve(targets: Runbook['targets'], signal?: AbortSignal): Promise<string[]> {
    if (targets.kind === 'instances') {
      return this.managedInstances(
        Object.entries(targets.tags).map(([key, value]) => ({ Key: `tag:${key}`, Values: [value] })),
        signal,
      );
    }
    const hosts = await this.serviceHosts(targets.cluster, targets.service, signal);
    if (hosts.length === 0) return [];
    return this.managedInstances([{ Key: 'InstanceIds', Values: hosts }], signal);
  }

  private async managedInstances(
    filters: InstanceInformationStringFilter[],
    signal?: AbortSignal,
  ): Promise<string[]> {
    const found: string[] = [];
    const pages = paginateDescribeInstanceInformation(
      { client: this.ssm, pageSize: 50, ...withSignal(signal) },
      {
        Filters: [
          ...filters,
          { Key: `tag:${OPT_IN_TAG.key}`, Values: [OPT_IN_TAG.value] },
          { Key: 'PingStatus', Values: ['Online'] },
        ],
      },
    );
    try {
      for await (const page of pages) {
        for (const instance of page.InstanceInformationList ?? []) {
          if (instance.InstanceId && instance.PlatformType === 'Linux') found.push(instance.InstanceId);
        }
      }
    } catch (error) {
      rethrowAwsError(error);
    }
    return [...new Set(found)].sort();
  }

  private async serviceHosts(cluster: string, service: string, signal?: AbortSignal): Promise<string[]> {
    try {
      const taskArns: string[] = [];
      const pages = paginateListTasks(
        { client: this.ecs, ...withSignal(signal) },
        { cluster, serviceName: service, desiredStatus: 'RUNNING' },
      );
      for await (const page of pages) taskArns.push(...(page.taskArns ?? []));
      const containerInstances = new Set<string>();
      for (let i = 0; i < taskArns.length; i += DESCRIBE_TASKS_MAX) {
        const { tasks } = await this.ecs.send(
          new DescribeTasksCommand({ cluster, tasks: taskArns.slice(i, i + DESCRIBE_TASKS_MAX) }),
          withSignal(signal),
        );
        for (const task of tasks ?? [])
          if (task.containerInstanceArn) containerInstances.add(task.containerInstanceArn);
      }
      const arns = [...containerInstances];
      const hosts: string[] = [];
      for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_MAX) {
        const { containerInstances: described } = await this.ecs.send(
          new DescribeContainerInstancesCommand({
            cluster,
            containerInstances: arns.slice(i, i + DESCRIBE_TASKS_MAX),
          }),
          withSignal(signal),
        );
        for (const instance of described ?? [])
          if (instance.ec2InstanceId) hosts.push(instance.ec2InstanceId);
      }
      return hosts;
    } catch (error) {
      return rethrowAwsError(error);
    }
  }
}
