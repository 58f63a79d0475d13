import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Deployment,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import {
  deployingRevision,
  imageOf,
  missingContainer,
  resumedRollout,
  rolloutStatus,
  withImage,
  type EcsDeployTarget,
} from '../../domain/deploy/ecs-rollout';
import type { Deployer, DeploymentStatus } from '../../ports/deployer';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

export interface EcsDeployerProps extends EcsDeployTarget {
  readonly cluster: string;
}

/**
 * Deploys green on ECS: registers a new revision of the service's task definition with the plan's
 * image, and points the service at it. The deployment that runs the plan's image is then followed
 * through its rolloutState (see `rolloutStatus`). Idempotent: when the service already asks for the
 * image, nothing is registered again. Giving up points the service back at the task definition it
 * ran before, recorded when the deployment started.
 */
export class EcsDeployer implements Deployer {
  constructor(
    private readonly client: ECSClient,
    private readonly props: EcsDeployerProps,
  ) {}

  async start(signal?: AbortSignal): Promise<DeploymentStatus> {
    const service = await this.describeService(signal);
    if (!service?.taskDefinition) return this.missing();
    const { taskDefinition: current, tags } = await this.describeTaskDefinition(
      service.taskDefinition,
      signal,
    );
    const missing = missingContainer(service.taskDefinition, current.containerDefinitions, this.props);
    if (missing) return missing;
    // Already asked for (a retried start) or already running: follow that deployment.
    if (imageOf(current.containerDefinitions, this.props.container) === this.props.image) {
      return resumedRollout(
        await this.statusOf(service, signal),
        service.deployments ?? [],
        service.taskDefinition,
      );
    }

    const { taskDefinition: registered } = await this.client
      .send(new RegisterTaskDefinitionCommand(this.nextRevision(current, tags)), withSignal(signal))
      .catch(rethrowAwsError);
    const next = registered?.taskDefinitionArn;
    if (!next) throw new Error(`ECS registered no task definition for family ${current.family}`);
    await this.updateService(next, signal);
    return deployingRevision(service.taskDefinition, next, this.props);
  }

  async status(signal?: AbortSignal): Promise<DeploymentStatus> {
    const service = await this.describeService(signal);
    return service ? this.statusOf(service, signal) : this.missing();
  }

  /**
   * Points the service back at `rollbackTo` unless it already runs it (the circuit breaker's own
   * rollback, or nothing was changed): ECS then replaces the new tasks with the previous revision's.
   */
  async cancel(rollbackTo: string | undefined, signal?: AbortSignal): Promise<void> {
    if (!rollbackTo) return;
    const service = await this.describeService(signal);
    if (!service || service.taskDefinition === rollbackTo) return;
    await this.updateService(rollbackTo, signal);
  }

  private async updateService(taskDefinition: string, signal?: AbortSignal): Promise<void> {
    await this.client
      .send(
        new UpdateServiceCommand({
          cluster: this.props.cluster,
          service: this.props.service,
          taskDefinition,
        }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
  }

  private async statusOf(service: Service, signal?: AbortSignal): Promise<DeploymentStatus> {
    return rolloutStatus(await this.rolloutOfImage(service, signal), this.props, {
      taskDefinition: service.taskDefinition,
      latestEvent: service.events?.[0]?.message,
    });
  }

  /** The deployment whose task definition runs the plan's image (each one described in turn). */
  private async rolloutOfImage(service: Service, signal?: AbortSignal): Promise<Deployment | undefined> {
    for (const deployment of service.deployments ?? []) {
      if (!deployment.taskDefinition) continue;
      const { taskDefinition } = await this.describeTaskDefinition(deployment.taskDefinition, signal);
      if (imageOf(taskDefinition.containerDefinitions, this.props.container) === this.props.image) {
        return deployment;
      }
    }
    return undefined;
  }

  /** The current revision's registrable fields, with the plan's image in the plan's container. */
  private nextRevision(current: TaskDefinition, tags: readonly Tag[]): RegisterTaskDefinitionCommandInput {
    return {
      family: current.family,
      taskRoleArn: current.taskRoleArn,
      executionRoleArn: current.executionRoleArn,
      networkMode: current.networkMode,
      containerDefinitions: withImage(current.containerDefinitions ?? [], this.props),
      volumes: current.volumes,
      placementConstraints: current.placementConstraints,
      requiresCompatibilities: current.requiresCompatibilities,
      cpu: current.cpu,
      memory: current.memory,
      pidMode: current.pidMode,
      ipcMode: current.ipcMode,
      proxyConfiguration: current.proxyConfiguration,
      inferenceAccelerators: current.inferenceAccelerators,
      ephemeralStorage: current.ephemeralStorage,
      runtimePlatform: current.runtimePlatform,
      enableFaultInjection: current.enableFaultInjection,
      ...(tags.length > 0 ? { tags: [...tags] } : {}),
    };
  }

  private async describeService(signal?: AbortSignal): Promise<Service | undefined> {
    const { services } = await this.client
      .send(
        new DescribeServicesCommand({ cluster: this.props.cluster, services: [this.props.service] }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
    const service = services?.[0];
    return service?.status === 'ACTIVE' ? service : undefined;
  }

  private async describeTaskDefinition(
    arn: string,
    signal?: AbortSignal,
  ): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
    const { taskDefinition, tags = [] } = await this.client
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }), withSignal(signal))
      .catch(rethrowAwsError);
    if (!taskDefinition) throw new Error(`ECS returned no task definition for ${arn}`);
    return { taskDefinition, tags };
  }

  private missing(): DeploymentStatus {
    return {
      state: 'failed',
      reason: `ECS service ${this.props.service} is not an active service of cluster ${this.props.cluster}`,
    };
  }
}
