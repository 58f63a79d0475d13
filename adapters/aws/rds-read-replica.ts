import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  DescribeDBInstancesCommand,
  PromoteReadReplicaCommand,
  type DBInstance,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { CutoverError } from '../../domain/errors';
import type {
  DatabaseSwitch,
  ReplicationLag,
  ReplicationMonitor,
  SwitchProgress,
} from '../../ports/database';
import { isAwsError, rethrowAwsError } from './aws-errors';
import { latestReplicaLag } from './replica-lag-metric';
import { withSignal } from './send-options';

export interface RdsReadReplicaProps {
  readonly replicaInstanceId: string;
  /** @default - the system clock */
  readonly now?: () => Date;
}

/** `read replication` statuses in which the replica no longer applies changes from its source. */
const NOT_REPLICATING = new Set(['error', 'stopped', 'terminated', 'replication stop point reached']);
/** Instance states promotion cannot recover from by waiting. */
const BROKEN = /^(failed|incompatible-|inaccessible-encryption-credentials|storage-full|deleting|stopped)/;
const PROMOTION_REQUESTED = 'promotion requested';

/**
 * An RDS read replica: its lag behind the source, and its promotion to a standalone primary — requested
 * once, then polled by the state machine (a promotion can take many minutes; no call here waits).
 */
export class RdsReadReplica implements ReplicationMonitor, DatabaseSwitch {
  private readonly id: string;
  private readonly now: () => Date;

  constructor(
    private readonly rds: RDSClient,
    private readonly cloudwatch: CloudWatchClient,
    props: RdsReadReplicaProps,
  ) {
    this.id = props.replicaInstanceId;
    this.now = props.now ?? (() => new Date());
  }

  async lag(signal?: AbortSignal): Promise<ReplicationLag> {
    const instance = await this.describe(signal);
    const stopped = { amount: 0, unit: 'seconds', streaming: false } as const;
    if (!isReplica(instance) || !replicating(instance)) return stopped;
    const seconds = await latestReplicaLag(this.cloudwatch, this.id, this.now(), signal);
    if (seconds === undefined || seconds < 0) return stopped;
    return { amount: seconds, unit: 'seconds', streaming: true };
  }

  /** Requests the promotion the first time (no `previous`), then reports where it stands. */
  async switchOver(previous: SwitchProgress | undefined, signal?: AbortSignal): Promise<SwitchProgress> {
    const instance = await this.describe(signal);
    const status = instance.DBInstanceStatus ?? 'unknown';
    if (!isReplica(instance) && status === 'available') return { done: true, status };
    if (BROKEN.test(status)) {
      throw new CutoverError(
        'SwitchoverFailed',
        `DB instance ${this.id} is ${status}; it cannot be promoted`,
      );
    }
    // Asked already: RDS may not show the promotion yet; asking again would be refused.
    if (isReplica(instance) && status === 'available' && previous === undefined) {
      await this.promote(signal);
      return { done: false, status: PROMOTION_REQUESTED };
    }
    return { done: false, status };
  }

  private async promote(signal?: AbortSignal): Promise<void> {
    try {
      await this.rds.send(
        new PromoteReadReplicaCommand({ DBInstanceIdentifier: this.id }),
        withSignal(signal),
      );
    } catch (error) {
      if (isAwsError(error, 'InvalidDBInstanceStateFault')) {
        throw new CutoverError('SwitchoverFailed', `RDS refused to promote ${this.id}: ${error.message}`);
      }
      rethrowAwsError(error);
    }
  }

  private async describe(signal?: AbortSignal): Promise<DBInstance> {
    const { DBInstances = [] } = await this.rds
      .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: this.id }), withSignal(signal))
      .catch(rethrowAwsError);
    const instance = DBInstances[0];
    if (!instance) throw new Error(`DB instance ${this.id} not found`);
    return instance;
  }
}

function isReplica(instance: DBInstance): boolean {
  return instance.ReadReplicaSourceDBInstanceIdentifier !== undefined;
}

function replicating(instance: DBInstance): boolean {
  return !(instance.StatusInfos ?? []).some(
    (info) => info.StatusType === 'read replication' && NOT_REPLICATING.has(info.Status ?? ''),
  );
}
