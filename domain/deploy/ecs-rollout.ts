import type { DeploymentStatus } from './deployment-status';

/**
 * What an `ecs` deploy means, whoever runs the service (ECS on AWS, the rehearsal's local service):
 * green's next task definition revision is the current one with the plan's image in the plan's
 * container; the deployment running that image is followed through its rollout state.
 */
export interface EcsDeployTarget {
  readonly service: string;
  /** The container whose image is replaced. */
  readonly container: string;
  /** The image green is to run, by tag or by digest. */
  readonly image: string;
}

/** The parts of a container definition a deploy reads and changes. */
export interface NamedContainer {
  readonly name?: string | undefined;
  readonly image?: string | undefined;
}

/** A service deployment as ECS lists it (DescribeServices `deployments[]`). */
export interface EcsRollout {
  readonly id?: string | undefined;
  /** PRIMARY (the newest), ACTIVE (being replaced, or failed) or INACTIVE. */
  readonly status?: string | undefined;
  readonly taskDefinition?: string | undefined;
  /** IN_PROGRESS, COMPLETED or FAILED (the circuit breaker). */
  readonly rolloutState?: string | undefined;
  readonly rolloutStateReason?: string | undefined;
  readonly runningCount?: number | undefined;
  readonly desiredCount?: number | undefined;
  readonly failedTasks?: number | undefined;
}

/** The image the target's container runs in these containers, if the container is there. */
export function imageOf(
  containers: readonly NamedContainer[] | undefined,
  container: string,
): string | undefined {
  return containers?.find((c) => c.name === container)?.image;
}

/** A failure when the task definition has no container of the plan's name; undefined when it has. */
export function missingContainer(
  taskDefinition: string,
  containers: readonly NamedContainer[] | undefined,
  target: EcsDeployTarget,
): DeploymentStatus | undefined {
  if (containers?.some((c) => c.name === target.container)) return undefined;
  const names = (containers ?? []).map((c) => c.name).join(', ');
  return {
    state: 'failed',
    reason: `task definition ${taskDefinition} has no container "${target.container}" (it has: ${names})`,
  };
}

/** The next revision's containers: the same, with the plan's image in the plan's container only. */
export function withImage<C extends NamedContainer>(containers: readonly C[], target: EcsDeployTarget): C[] {
  return containers.map((c) => (c.name === target.container ? { ...c, image: target.image } : c));
}

/** What the cutover is told as the deployment starts (and what the deploy step notifies). */
export function revisionChange(from: string, to: string, target: EcsDeployTarget): string {
  return `service ${target.service}: ${from} → ${to} (${target.container}: ${target.image})`;
}

/**
 * A start that registered revision `to` in place of `from` and pointed the service at it: in progress,
 * and undone by pointing the service back at `from`.
 */
export function deployingRevision(from: string, to: string, target: EcsDeployTarget): DeploymentStatus {
  return {
    state: 'in_progress',
    reason: `deploying ${to}`,
    changes: [revisionChange(from, to, target)],
    rollbackTo: from,
  };
}

/**
 * A start that found the plan's image already asked for (a retried start): the rollout's status, undone
 * by going back to what an older deployment still runs, if one does.
 */
export function resumedRollout(
  status: DeploymentStatus,
  rollouts: readonly EcsRollout[],
  current: string,
): DeploymentStatus {
  const rollbackTo = previousTaskDefinition(rollouts, current);
  return { ...status, ...(rollbackTo ? { rollbackTo } : {}) };
}

/**
 * The cutover's view of the deployment that runs the plan's image: steady once it is COMPLETED and
 * still PRIMARY; FAILED (the circuit breaker) is a failure with ECS's reason; gone (a circuit-breaker
 * rollback finished) is a failure quoting the service's latest event.
 */
export function rolloutStatus(
  rollout: EcsRollout | undefined,
  target: EcsDeployTarget,
  service: { readonly taskDefinition?: string | undefined; readonly latestEvent?: string | undefined },
): DeploymentStatus {
  if (!rollout) {
    const event = service.latestEvent ? `; latest event: ${service.latestEvent}` : '';
    return {
      state: 'failed',
      reason: `no deployment of ${target.image} on service ${target.service} (it runs ${service.taskDefinition})${event}`,
    };
  }
  switch (rollout.rolloutState) {
    case 'COMPLETED':
      return rollout.status === 'PRIMARY'
        ? { state: 'complete' }
        : { state: 'failed', reason: `deployment ${rollout.id} was replaced by a newer deployment` };
    case 'FAILED':
      return {
        state: 'failed',
        reason: `ECS deployment ${rollout.id} of ${target.image} failed: ${rollout.rolloutStateReason ?? 'no reason given'} (${rollout.failedTasks ?? 0} tasks failed)`,
      };
    default:
      return {
        state: 'in_progress',
        reason: `${rollout.runningCount ?? 0}/${rollout.desiredCount ?? 0} tasks running`,
      };
  }
}

/**
 * What green ran before a deployment already asked for (a retried start): the task definition an
 * older deployment still runs, if one does.
 */
export function previousTaskDefinition(rollouts: readonly EcsRollout[], current: string): string | undefined {
  return rollouts.find((r) => r.status === 'ACTIVE' && r.taskDefinition && r.taskDefinition !== current)
    ?.taskDefinition;
}
