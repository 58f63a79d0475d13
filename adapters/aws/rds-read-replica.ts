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
  WalCatchUp,
} from '../../ports/database';
import { isAwsError, rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

export interface RdsReadReplicaProps {
  readonly replicaInstanceId: string;
  /** The instance the plan says the replica follows (an identifier, or an ARN for another region's). */
  readonly sourceInstanceId: string;
}

/** `read replication` statuses in which the replica no longer applies changes from its source. */
const NOT_REPLICATING = new Set(['error', 'stopped', 'terminated', 'replication stop point reached']);
/** Instance states promotion cannot recover from by waiting. */
const BROKEN = /^(failed|incompatible-|inaccessible-encryption-credentials|storage-full|deleting|stopped)/;
const PROMOTION_REQUESTED = 'promotion requested';

/**
 * An RDS read replica: its lag behind the source by WAL position (read from both databases), whether it
 * follows the source the plan names, and its promotion to a standalone primary — requested once, then
 * polled by the state machine (a promotion can take many minutes; no call here waits).
 */
export class RdsReadReplica implements ReplicationMonitor, WalCatchUp, DatabaseSwitch {
  private readonly id: string;
  private readonly sourceId: string;

  constructor(
    private readonly rds: RDSClient,
    private readonly wal: WalCatchUp,
    props: RdsReadReplicaProps,
  ) {
    this.id = props.replicaInstanceId;
    this.sourceId = props.sourceInstanceId;
  }

  /** Before the freeze: RDS must report the replica replicating; the lag itself is read by LSN. */
  async lag(signal?: AbortSignal): Promise<ReplicationLag> {
    const instance = await this.describe(signal);
    if (!isReplica(instance) || !replicating(instance)) return { amount: 0, unit: 'bytes', streaming: false };
    return this.wal.lagBehind(await this.wal.sourcePosition(signal), signal);
  }

  sourcePosition(signal?: AbortSignal): Promise<string> {
    return this.wal.sourcePosition(signal);
  }

  /** Inside the freeze only the replay position matters: no RDS call on the way. */
  lagBehind(position: string, signal?: AbortSignal): Promise<ReplicationLag> {
    return this.wal.lagBehind(position, signal);
  }

  /**
   * The replica must follow the plan's source (promoting a replica of another database loses data), and
   * its connection must reach a standby of the source (else its LSNs are no evidence).
   */
  async preflight(signal?: AbortSignal): Promise<string[]> {
    const [rds, wal] = await Promise.all([this.followsSource(signal), this.wal.preflight(signal)]);
    return [...rds, ...wal];
  }

  private async followsSource(signal?: AbortSignal): Promise<string[]> {
    const followed = (await this.describe(signal)).ReadReplicaSourceDBInstanceIdentifier;
    if (followed === undefined) {
      return [
        `database.replicaInstanceId: DB instance ${this.id} is not a read replica; name a read replica of ${this.sourceId}`,
      ];
    }
    if (sameInstance(followed, this.sourceId)) return [];
    return [
      `database.sourceInstanceId: "${this.sourceId}" is not the source of read replica ${this.id}, which follows "${followed}"; name the replica’s source instance`,
    ];
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

/**
 * RDS names a same-region source by its identifier and a cross-region one by its ARN
 * (`arn:aws:rds:<region>:<account>:db:<id>`); identifiers are case-insensitive (RDS stores them lowercase).
 */
function sameInstance(followed: string, planned: string): boolean {
  const id = followed.startsWith('arn:') ? followed.slice(followed.lastIndexOf(':db:') + 4) : followed;
  return id.toLowerCase() === planned.toLowerCase();
}

function isReplica(instance: DBInstance): boolean {
  return instance.ReadReplicaSourceDBInstanceIdentifier !== undefined;
}

function replicating(instance: DBInstance): boolean {
  return !(instance.StatusInfos ?? []).some(
    (info) => info.StatusType === 'read replication' && NOT_REPLICATING.has(info.Status ?? ''),
  );
}
