import type { EcsRollout, NamedContainer } from '../../domain/deploy/ecs-rollout';

export interface LocalContainer extends NamedContainer {
  readonly name: string;
  readonly image: string;
}

export interface LocalTaskDefinition {
  /** `<family>:<revision>` */
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  readonly containers: readonly LocalContainer[];
}

export interface LocalTask {
  stop(): Promise<void>;
}

/** Starts one task of a revision: resolves once it answers its health check, rejects when it cannot. */
export type LocalTaskLauncher = (taskDefinition: LocalTaskDefinition) => Promise<LocalTask>;

export interface LocalEcsServiceProps {
  readonly cluster: string;
  readonly service: string;
  /** The service's first revision (registered as `<family>:1`); no task of it runs until asked. */
  readonly family: string;
  readonly containers: readonly LocalContainer[];
  readonly launch: LocalTaskLauncher;
  /**
   * Failed task starts after which a deployment fails, as ECS's circuit breaker counts them (at least
   * 3; half the desired count, up to 200): one task here.
   * @default 3
   */
  readonly failureThreshold?: number;
}

interface Rollout {
  readonly id: string;
  status: 'PRIMARY' | 'ACTIVE';
  readonly taskDefinition: string;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason?: string;
  runningCount: number;
  readonly desiredCount: number;
  failedTasks: number;
  /** The revision the service ran when this deployment started. */
  readonly previous: string;
  readonly createdAt: Date;
}

/** A deployment the service made, for a report. */
export interface LocalDeploymentRecord {
  readonly id: string;
  readonly taskDefinition: string;
  readonly rolloutState: string;
  readonly rolloutStateReason: string | undefined;
  readonly createdAt: Date;
}

/**
 * A one-task service on this machine that deploys like an ECS rolling update with the circuit breaker
 * and rollback on: `update` starts a deployment of a revision in the background; the new task replaces
 * the old once it answers its health check (COMPLETED); after `failureThreshold` failed starts the
 * deployment FAILS with the circuit breaker's reason and the service goes back to the revision it ran
 * before (the old task, if any, never stopped). Read with `describe`, as a deployer polls.
 */
export class LocalEcsService {
  readonly cluster: string;
  readonly name: string;
  private readonly definitions = new Map<string, LocalTaskDefinition>();
  private current: string;
  private rollouts: Rollout[] = [];
  private readonly made: Rollout[] = [];
  private readonly events: string[] = [];
  private running: { readonly arn: string; readonly task: LocalTask } | undefined;
  private work: Promise<void> = Promise.resolve();
  private deployments = 0;
  private stopped = false;

  constructor(private readonly props: LocalEcsServiceProps) {
    this.cluster = props.cluster;
    this.name = props.service;
    this.current = this.register(props.family, props.containers).arn;
  }

  describe(): {
    readonly taskDefinition: string;
    readonly deployments: readonly EcsRollout[];
    readonly latestEvent: string | undefined;
  } {
    return {
      taskDefinition: this.current,
      deployments: this.rollouts.map(({ previous: _, createdAt: __, ...rollout }) => rollout),
      latestEvent: this.events.at(-1),
    };
  }

  /** Every deployment made, oldest first, as it stands now. */
  history(): LocalDeploymentRecord[] {
    return this.made.map((r) => ({
      id: r.id,
      taskDefinition: r.taskDefinition,
      rolloutState: r.rolloutState,
      rolloutStateReason: r.rolloutStateReason,
      createdAt: r.createdAt,
    }));
  }

  taskDefinition(arn: string): LocalTaskDefinition | undefined {
    return this.definitions.get(arn);
  }

  register(family: string, containers: readonly LocalContainer[]): LocalTaskDefinition {
    const revision = [...this.definitions.values()].filter((d) => d.family === family).length + 1;
    const definition = { arn: `${family}:${revision}`, family, revision, containers: [...containers] };
    this.definitions.set(definition.arn, definition);
    return definition;
  }

  /** Points the service at a revision: a new deployment, rolled out in the background. */
  update(taskDefinition: string): void {
    if (this.stopped) return;
    if (!this.definitions.has(taskDefinition)) {
      throw new Error(`task definition ${taskDefinition} is not registered with service ${this.name}`);
    }
    for (const rollout of this.rollouts) if (rollout.status === 'PRIMARY') rollout.status = 'ACTIVE';
    const rollout: Rollout = {
      id: `local-svc/${++this.deployments}`,
      status: 'PRIMARY',
      taskDefinition,
      rolloutState: 'IN_PROGRESS',
      runningCount: 0,
      desiredCount: 1,
      failedTasks: 0,
      previous: this.current,
      createdAt: new Date(),
    };
    this.made.push(rollout);
    this.current = taskDefinition;
    this.rollouts.unshift(rollout);
    this.work = this.work.then(() => this.roll(rollout));
  }

  /** Runs the current revision now (green already deployed); fails when its task cannot start. */
  async start(): Promise<void> {
    this.update(this.current);
    await this.work;
    const rollout = this.rollouts[0]!;
    if (rollout.rolloutState !== 'COMPLETED') {
      throw new Error(
        `service ${this.name} did not start: ${this.events.at(-1) ?? rollout.rolloutStateReason}`,
      );
    }
  }

  /** Stops rolling out and stops the running task; safe to call more than once. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.work;
    const running = this.running;
    this.running = undefined;
    await running?.task.stop();
  }

  private superseded(rollout: Rollout): boolean {
    return this.stopped || this.rollouts[0] !== rollout;
  }

  private async roll(rollout: Rollout): Promise<void> {
    const definition = this.definitions.get(rollout.taskDefinition)!;
    const threshold = this.props.failureThreshold ?? 3;
    while (rollout.failedTasks < threshold) {
      if (this.superseded(rollout)) return;
      let task: LocalTask;
      try {
        task = await this.props.launch(definition);
      } catch (error) {
        rollout.failedTasks += 1;
        this.event(`task of ${definition.arn} failed to start: ${firstLine(error)}`);
        continue;
      }
      if (this.superseded(rollout)) return task.stop();
      const old = this.running;
      this.running = { arn: definition.arn, task };
      rollout.runningCount = 1;
      rollout.rolloutState = 'COMPLETED';
      this.rollouts = [rollout];
      this.event('has reached a steady state.');
      return old?.task.stop();
    }
    // The circuit breaker: the deployment fails and the service rolls back to what it ran before.
    rollout.status = 'ACTIVE';
    rollout.rolloutState = 'FAILED';
    rollout.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    this.current = rollout.previous;
    const previous = this.rollouts.find((r) => r.taskDefinition === rollout.previous && r !== rollout);
    if (previous) previous.status = 'PRIMARY';
    this.event(`deployment ${rollout.id} failed; rolling back to ${rollout.previous}.`);
  }

  private event(message: string): void {
    this.events.push(`(service ${this.name}) ${message}`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
