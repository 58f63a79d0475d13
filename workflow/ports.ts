import type { DatabaseSpec, DeploySpec, ProbeSpec } from '../domain/context/execution-context';
import type { AllowedZone } from '../domain/allowed-records';
import type { AuditLog } from '../ports/audit-log';
import type { ControlSignals, TaskCallbacks, WatcherSchedule } from '../ports/control-signals';
import type {
  DatabaseSwitch,
  DataVerifier,
  ReplicationMonitor,
  ReplicationTeardown,
  VerificationSlots,
  WalCatchUp,
  WriteFreeze,
} from '../ports/database';
import type { Deployer } from '../ports/deployer';
import type { FinalizeSchedule } from '../ports/finalize-schedule';
import type { HealthProbe } from '../ports/health-probe';
import type { MigrationLock } from '../ports/migration-lock';
import type { Notifier } from '../ports/notifier';
import type { TrafficRouter } from '../ports/traffic-router';

/** The database side of a plan: what each kind of database offers (RDS Blue/Green freezes writes itself). */
export interface DatabasePorts {
  readonly monitor: ReplicationMonitor;
  readonly switch: DatabaseSwitch;
  readonly freeze?: WriteFreeze;
  readonly verifier?: DataVerifier;
  /** Catch-up judged by WAL position (a physical replica): the freeze takes the source's position. */
  readonly catchUp?: WalCatchUp;
  /** Logical replication: removes the subscription and its slot once blue's retention ends. */
  readonly teardown?: ReplicationTeardown;
  /** Logical replication: the verification passes' change slots on the source, dropped on every exit path. */
  readonly verificationSlots?: VerificationSlots;
  /** What stops this database from being switched as the plan says (checked at preflight), one line each. */
  preflight?(signal?: AbortSignal): Promise<readonly string[]>;
  /** Releases connections; called once the step is done. */
  close(): Promise<void>;
}

/** A database the context says exists. */
export type ExistingDatabase = Exclude<DatabaseSpec, { kind: 'none' }>;

/** Everything a workflow step may touch, built once per Lambda container (or per local run). */
export interface Ports {
  readonly traffic: TrafficRouter;
  readonly lock: MigrationLock;
  readonly control: ControlSignals;
  readonly callbacks: TaskCallbacks;
  readonly notifier: Notifier;
  readonly audit: AuditLog;
  /** The records this orchestrator may change; a plan outside them is refused at preflight. */
  readonly allowedZones: readonly AllowedZone[];
  /** Private addresses (or CIDR blocks) health probes may reach. @default none */
  readonly allowedProbeTargets?: readonly string[];
  /** The topics plans may name for their notifications. @default - any (locally, nothing is published) */
  readonly allowedNotificationTopics?: readonly string[];
  /** The health watcher's schedule, on AWS. @default - none: the local runner watches all along */
  readonly watcherSchedule?: WatcherSchedule;
  /** Schedules the finalize step for when blue's retention ends, on AWS. @default - none: nothing is scheduled */
  readonly finalizeSchedule?: FinalizeSchedule;
  readonly now: () => Date;
  healthProbes(probes: readonly ProbeSpec[]): HealthProbe[];
  /** `none`: green is already running, so deploying means checking it answers (see verifyOnlyDeployer). */
  deployer(deploy: DeploySpec, probes: readonly ProbeSpec[]): Deployer;
  database(database: ExistingDatabase): Promise<DatabasePorts>;
}
