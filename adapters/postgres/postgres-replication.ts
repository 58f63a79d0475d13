import type { ClientConfig } from './pg';
import type {
  DatabaseSwitch,
  FreezeReport,
  SwitchProgress,
  ReplicationLag,
  ReplicationMonitor,
  ReplicationTeardown,
  TeardownReport,
  VerificationSlots,
  WriteFreeze,
} from '../../ports/database';
import { PostgresSessions } from './postgres-sessions';
import { PostgresReplicationLagMonitor } from './replication-lag-monitor';
import { PostgresSubscriptionSwitch } from './subscription-switch';
import { PostgresSubscriptionTeardown } from './subscription-teardown';
import { PostgresVerificationSlots } from './verification-slots';
import { PostgresWriteFreeze } from './write-freeze';

export interface PostgresReplicationProps {
  /** The publisher: the database applications write to until the switch. */
  readonly source: ClientConfig;
  /** The subscriber that becomes the database of record. */
  readonly target: ClientConfig;
  /** The subscription on the target; its replication slot on the source carries the same name. */
  readonly subscription: string;
  /** The publication on the source. */
  readonly publication: string;
}

/** Logical replication from a source PostgreSQL to a target, behind the database ports. */
export class PostgresReplication
  implements ReplicationMonitor, WriteFreeze, DatabaseSwitch, ReplicationTeardown, VerificationSlots
{
  private readonly source: PostgresSessions;
  private readonly target: PostgresSessions;
  private readonly monitor: PostgresReplicationLagMonitor;
  private readonly writeFreeze: PostgresWriteFreeze;
  private readonly switch: PostgresSubscriptionSwitch;
  private readonly teardown: PostgresSubscriptionTeardown;
  private readonly verificationSlots: PostgresVerificationSlots;

  constructor(props: PostgresReplicationProps) {
    if (!props.subscription) throw new Error('subscription must not be empty');
    if (!props.publication) throw new Error('publication must not be empty');
    this.source = new PostgresSessions(props.source);
    this.target = new PostgresSessions(props.target);
    this.monitor = new PostgresReplicationLagMonitor(this.source, props.subscription);
    this.writeFreeze = new PostgresWriteFreeze(this.source);
    this.switch = new PostgresSubscriptionSwitch(this.target, props.subscription);
    this.teardown = new PostgresSubscriptionTeardown(this.source, this.target, props.subscription);
    this.verificationSlots = new PostgresVerificationSlots(this.source);
  }

  lag(signal?: AbortSignal): Promise<ReplicationLag> {
    return this.monitor.lag(signal);
  }

  freeze(signal?: AbortSignal): Promise<FreezeReport> {
    return this.writeFreeze.freeze(signal);
  }

  unfreeze(signal?: AbortSignal): Promise<void> {
    return this.writeFreeze.unfreeze(signal);
  }

  isFrozen(signal?: AbortSignal): Promise<boolean> {
    return this.writeFreeze.isFrozen(signal);
  }

  switchOver(previous: SwitchProgress | undefined, signal?: AbortSignal): Promise<SwitchProgress> {
    return this.switch.switchOver(previous, signal);
  }

  tearDown(signal?: AbortSignal): Promise<TeardownReport> {
    return this.teardown.tearDown(signal);
  }

  dropSlot(slot: string, signal?: AbortSignal): Promise<'dropped' | 'absent'> {
    return this.verificationSlots.dropSlot(slot, signal);
  }

  dropLeftoverSlots(
    options: { readonly except?: string; readonly idleSeconds?: number },
    signal?: AbortSignal,
  ): Promise<string[]> {
    return this.verificationSlots.dropLeftoverSlots(options, signal);
  }

  /** Ends connections still open (an operation in flight fails); later calls fail. */
  async close(): Promise<void> {
    await Promise.all([this.source.close(), this.target.close()]);
  }
}
