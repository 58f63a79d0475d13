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
import type { LocalEcsService } from './local-ecs-service';

/**
 * The `ecs` deploy kind on a local service, with the contract of the AWS deployer: `start` registers
 * a revision with the plan's image and points the service at it (request), `status` follows the
 * deployment that runs the image (poll), `cancel` points the service back at what it ran before.
 */
export class LocalEcsDeployer implements Deployer {
  constructor(
    private readonly service: LocalEcsService,
    private readonly target: EcsDeployTarget,
  ) {}

  async start(): Promise<DeploymentStatus> {
    const { taskDefinition, deployments } = this.service.describe();
    const current = this.service.taskDefinition(taskDefinition)!;
    const missing = missingContainer(taskDefinition, current.containers, this.target);
    if (missing) return missing;
    if (imageOf(current.containers, this.target.container) === this.target.image) {
      return resumedRollout(await this.status(), deployments, taskDefinition);
    }
    const next = this.service.register(current.family, withImage(current.containers, this.target));
    this.service.update(next.arn);
    return deployingRevision(taskDefinition, next.arn, this.target);
  }

  async status(): Promise<DeploymentStatus> {
    const service = this.service.describe();
    const runsImage = (taskDefinition: string | undefined) =>
      taskDefinition !== undefined &&
      imageOf(this.service.taskDefinition(taskDefinition)?.containers, this.target.container) ===
        this.target.image;
    const rollout = service.deployments.find((d) => runsImage(d.taskDefinition));
    return rolloutStatus(rollout, this.target, service);
  }

  async cancel(rollbackTo: string | undefined): Promise<void> {
    if (rollbackTo && this.service.describe().taskDefinition !== rollbackTo) this.service.update(rollbackTo);
  }
}
