import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  DescribeBlueGreenDeploymentsCommand,
  SwitchoverBlueGreenDeploymentCommand,
  type BlueGreenDeployment,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type {
  DatabaseSwitch,
  ReplicationLag,
  ReplicationMonitor,
  SwitchProgress,
} from '../../ports/database';
import { isAwsError, rethrowAwsError } from './aws-errors';
import { latestReplicaLag } from './replica-lag-metric';
import { withSignal } from './send-options';

export interface RdsBlueGreenProps {
  /** e.g. `bgd-abc123` */
  readonly blueGreenDeploymentId: string;
  /** How long RDS may take to switch over before it rolls the switchover back (30–3600 seconds). */
  readonly switchoverTimeoutSeconds: number;
  /** @default - the system clock */
  readonly now?: () => Date;
}

const FAILED = new Set(['SWITCHOVER_FAILED', 'INVALID_CONFIGURATION', 'PROVISIONING_FAILED']);
const SWITCHOVER_REQUESTED = 'SWITCHOVER_REQUESTED';
const IN_PROGRESS = 'SWITCHOVER_IN_PROGRESS';

/**
 * An RDS Blue/Green Deployment: green's replica lag, and the managed switchover — requested once, then
 * polled by the state machine (it may take up to its timeout; no call here waits).
 */
export class RdsBlueGreen implements ReplicationMonitor, DatabaseSwitch {
  private readonly id: string;
  private readonly now: () => Date;

  constructor(
    private readonly rds: RDSClient,
    private readonly cloudwatch: CloudWatchClient,
    private readonly props: RdsBlueGreenProps,
  ) {
    const timeout = props.switchoverTimeoutSeconds;
    if (!Number.isInteger(timeout) || timeout < 30 || timeout > 3600) {
      throw new RangeError(`switchoverTimeoutSeconds must be a whole number from 30 to 3600, got ${timeout}`);
    }
    this.id = props.blueGreenDeploymentId;
    this.now = props.now ?? (() => new Date());
  }

  async lag(signal?: AbortSignal): Promise<ReplicationLag> {
    const green = greenInstance(await this.describe(signal));
    if (!green) throw new Error(`blue/green deployment ${this.id} has no green DB instance`);
    const seconds = await latestReplicaLag(this.cloudwatch, green, this.now(), signal);
    if (seconds === undefined || seconds < 0) return { amount: 0, unit: 'seconds', streaming: false };
    return { amount: seconds, unit: 'seconds', streaming: true };
  }

  /** Requests the switchover the first time (no `previous`), then reports where it stands. */
  async switchOver(previous: SwitchProgress | undefined, signal?: AbortSignal): Promise<SwitchProgress> {
    const deployment = await this.describe(signal);
    const status = deployment.Status ?? 'UNKNOWN';
    switch (status) {
      case 'SWITCHOVER_COMPLETED':
        return { done: true, status };
      case IN_PROGRESS:
        return { done: false, status };
      case 'AVAILABLE':
        // A switchover that outlasts its timeout is rolled back, and the deployment is AVAILABLE again.
        if (previous?.status === IN_PROGRESS) {
          throw this.failed(deployment, 'is AVAILABLE again: the switchover was rolled back');
        }
        if (previous !== undefined) return { done: false, status: SWITCHOVER_REQUESTED };
        await this.requestSwitchover(signal);
        return { done: false, status: SWITCHOVER_REQUESTED };
      default:
        throw this.failed(
          deployment,
          FAILED.has(status) ? `is ${status}` : `is ${status}, not ready to switch over`,
        );
    }
  }

  private async requestSwitchover(signal?: AbortSignal): Promise<void> {
    try {
      await this.rds.send(
        new SwitchoverBlueGreenDeploymentCommand({
          BlueGreenDeploymentIdentifier: this.id,
          SwitchoverTimeout: this.props.switchoverTimeoutSeconds,
        }),
        withSignal(signal),
      );
    } catch (error) {
      // RDS's own guardrails (replica lag, unsupported changes, long-running writes) surface as this fault.
      if (isAwsError(error, 'InvalidBlueGreenDeploymentStateFault')) {
        throw new CutoverError('SwitchoverFailed', `RDS refused the switchover: ${error.message}`);
      }
      rethrowAwsError(error);
    }
  }

  private async describe(signal?: AbortSignal): Promise<BlueGreenDeployment> {
    const { BlueGreenDeployments = [] } = await this.rds
      .send(
        new DescribeBlueGreenDeploymentsCommand({ BlueGreenDeploymentIdentifier: this.id }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
    const deployment = BlueGreenDeployments[0];
    if (!deployment) throw new Error(`blue/green deployment ${this.id} not found`);
    // Aurora needs cluster actions and ARNs and has its own lag metric: refused, not half supported.
    if (deployment.Source?.includes(':cluster:')) {
      throw new CutoverError(
        ErrorNames.PreflightFailed,
        `blue/green deployment ${this.id} is for an Aurora cluster (${deployment.Source}); cutover switches over RDS DB instances only`,
      );
    }
    return deployment;
  }

  private failed(deployment: BlueGreenDeployment, state: string): CutoverError {
    const details = deployment.StatusDetails ? `: ${deployment.StatusDetails}` : '';
    return new CutoverError('SwitchoverFailed', `blue/green deployment ${this.id} ${state}${details}`);
  }
}

/** The green counterpart of blue's primary instance (`arn:aws:rds:<region>:<account>:db:<name>`). */
function greenInstance(deployment: BlueGreenDeployment): string | undefined {
  const instances = (deployment.SwitchoverDetails ?? []).filter((d) => d.TargetMember?.includes(':db:'));
  const primary = instances.find((d) => d.SourceMember === deployment.Source) ?? instances[0];
  return primary?.TargetMember?.split(':db:')[1];
}
