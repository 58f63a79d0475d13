import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { Deployer, DeploymentStatus } from '../../ports/deployer';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

export interface EcsDeployerProps {
  readonly cluster: string;
  /** The green service: rolling update (ECS) deployments with the circuit breaker on. */
  readonly service: string;
  /** The container whose image is replaced. */
  readonly container: string;
  /** The image green is to run, by tag or by digest. */
  readonly image: string;
}

/**
 * Deploys green on ECS: registers a new revision of the service's task definition with the plan's
 * image, and points the service at it. The deployment that runs the plan's image is then followed
 * through its rolloutState: COMPLETED is done, FAILED (the circuit breaker) is a failure with ECS's
 * reason. Idempotent: when the service already asks for the image, nothing is registered again.
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
    const container = current.containerDefinitions?.find((c) => c.name === this.props.container);
    if (!container) {
      const names = (current.containerDefinitions ?? []).map((c) => c.name).join(', ');
      return {
        state: 'failed',
        reason: `task definition ${service.taskDefinition} has no container "${this.props.container}" (it has: ${names})`,
      };
    }
    // Already asked for (a retried start) or already running: follow that deployment.
    if (container.image === this.props.image) return this.statusOf(service, signal);

    const { taskDefinition: registered } = await this.client
      .send(new RegisterTaskDefinitionCommand(this.nextRevision(current, tags)), withSignal(signal))
      .catch(rethrowAwsError);
    await this.client
      .send(
        new UpdateServiceCommand({
          cluster: this.props.cluster,
          service: this.props.service,
          taskDefinition: registered?.taskDefinitionArn,
        }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
    return { state: 'in_progress', reason: `deploying ${registered?.taskDefinitionArn}` };
  }

  async status(signal?: AbortSignal): Promise<DeploymentStatus> {
    const service = await this.describeService(signal);
    return service ? this.statusOf(service, signal) : this.missing();
  }

  private async statusOf(service: Service, signal?: AbortSignal): Promise<DeploymentStatus> {
    for (const deployment of service.deployments ?? []) {
      if (!deployment.taskDefinition) continue;
      const { taskDefinition } = await this.describeTaskDefinition(deployment.taskDefinition, signal);
      const image = taskDefinition.containerDefinitions?.find((c) => c.name === this.props.container)?.image;
      if (image !== this.props.image) continue;
      const progress = `${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} tasks running`;
      switch (deployment.rolloutState) {
        case 'COMPLETED':
          return deployment.status === 'PRIMARY'
            ? { state: 'complete' }
            : { state: 'failed', reason: `deployment ${deployment.id} was replaced by a newer deployment` };
        case 'FAILED':
          return {
            state: 'failed',
            reason: `ECS deployment ${deployment.id} of ${this.props.image} failed: ${deployment.rolloutStateReason ?? 'no reason given'} (${deployment.failedTasks ?? 0} tasks failed)`,
          };
        default:
          return { state: 'in_progress', reason: progress };
      }
    }
    // A failed deployment rolled back by the circuit breaker leaves the list once the rollback is done.
    const latest = service.events?.[0]?.message;
    return {
      state: 'failed',
      reason: `no deployment of ${this.props.image} on service ${this.props.service} (it runs ${service.taskDefinition})${latest ? `; latest event: ${latest}` : ''}`,
    };
  }

  /** The current revision's registrable fields, with the plan's image in the plan's container. */
  private nextRevision(current: TaskDefinition, tags: readonly Tag[]): RegisterTaskDefinitionCommandInput {
    return {
      family: current.family,
      taskRoleArn: current.taskRoleArn,
      executionRoleArn: current.executionRoleArn,
      networkMode: current.networkMode,
      containerDefinitions: current.containerDefinitions?.map((c) =>
        c.name === this.props.container ? { ...c, image: this.props.image } : c,
      ),
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
