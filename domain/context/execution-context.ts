import { CutoverError, ErrorNames } from '../errors';
import type { HealthPolicy } from '../health/verdict';
import type { DatabaseLimits } from '../plan/database-limits';
import type { ShiftStep } from '../schedule/schedule';

/**
 * The resolved execution context: what `validate-plan` makes of a plan, once, for every later step.
 * Plain JSON (it travels through the state machine): numbers in seconds and percent, record keys,
 * weighted pairs grouped by hosted zone, the database endpoint, the probes and every timeout. Later
 * steps read only this; none of them parses the plan again.
 */
export const CONTEXT_VERSION = 1;

/** One side of a weighted record pair: plain values, or an alias target. */
export interface WeightedSide {
  readonly setIdentifier: string;
  readonly values?: readonly string[] | undefined;
  readonly alias?:
    | {
        readonly dnsName: string;
        readonly hostedZoneId: string;
        readonly evaluateTargetHealth: boolean;
      }
    | undefined;
}

/** A blue/green pair of weighted records sharing one name and type. */
export interface WeightedPair {
  readonly hostedZoneId: string;
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'CNAME';
  readonly ttl: number;
  readonly blue: WeightedSide;
  readonly green: WeightedSide;
}

/** The pairs of one hosted zone: one Route 53 change sets all of them. */
export interface ZonePairs {
  readonly hostedZoneId: string;
  readonly pairs: readonly WeightedPair[];
}

/**
 * What a cutover locks: a record it changes (hosted zone, record name), or a database it switches
 * (DATABASE_LOCK_ZONE, e.g. `rds-blue-green:bgd-123`), so two plans cannot switch one database even
 * through different records.
 */
export interface LockKey {
  readonly hostedZoneId: string;
  readonly recordName: string;
}

/** Stands in for the hosted zone in the lock key of a database identity. */
export const DATABASE_LOCK_ZONE = 'database';

/** True for a lock key that names a record (as opposed to a database identity). */
export function isRecordKey(key: LockKey): boolean {
  return key.hostedZoneId !== DATABASE_LOCK_ZONE;
}

/** "record <name> in zone <zone>", or "database <identity>", for messages about a held lock. */
export function describeLockKey(key: LockKey): string {
  return isRecordKey(key)
    ? `record ${key.recordName} in zone ${key.hostedZoneId}`
    : `database ${key.recordName}`;
}

/** The execution lost its lock (another owner took it over, or it is gone): it must not carry on. */
export function lockLost(key: LockKey, owner: string, holder: string | undefined): CutoverError {
  const now = holder ? `${holder} holds it` : 'the lock is gone';
  return new CutoverError(
    ErrorNames.LockLost,
    `${describeLockKey(key)} is no longer locked by ${owner}: ${now}`,
  );
}

/** A plain record the workflow repoints, e.g. the private CNAME an application reaches its database by. */
export interface EndpointRecord {
  readonly hostedZoneId: string;
  readonly name: string;
  readonly ttl: number;
}

/** The database endpoint and the two hosts it points at before and after the switch. */
export interface DatabaseEndpoint extends EndpointRecord {
  readonly blue: string;
  readonly green: string;
}

export type ProbeSpec =
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly expectStatus: number;
      readonly latencyBudgetSeconds: number;
    }
  | { readonly kind: 'alarm'; readonly alarmName: string }
  | { readonly kind: 'route53HealthCheck'; readonly healthCheckId: string };

export interface HealthSpec extends HealthPolicy {
  readonly probes: readonly ProbeSpec[];
  readonly intervalSeconds: number;
}

export type DeploySpec =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'cloudformation';
      readonly stackName: string;
      /** The change set this execution deploys through (one per execution, so a retry finds it). */
      readonly changeSetName: string;
      readonly templateUrl: string;
      readonly parameters: Readonly<Record<string, string>>;
      readonly capabilities: readonly (
        'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | 'CAPABILITY_AUTO_EXPAND'
      )[];
    }
  | {
      /** A new task definition revision of the green service, from an image tag or digest. */
      readonly kind: 'ecs';
      readonly cluster: string;
      readonly service: string;
      readonly container: string;
      readonly image: string;
    };

export type DatabaseKind = 'none' | 'postgres-logical' | 'rds-blue-green' | 'rds-read-replica';

/**
 * Where a database is when its secret does not say: an RDS-managed master-user secret holds only the
 * username and password. The secret's own host, port and dbname come first.
 */
export interface ConnectionFallback {
  /** The database's host name (the plan's endpoint value for that side). */
  readonly host?: string;
  /** The RDS DB instance whose endpoint to connect to (DescribeDBInstances). */
  readonly instanceId?: string;
  /** The database to connect to. */
  readonly database?: string;
}

export type DatabaseSpec =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'postgres-logical';
      readonly sourceSecretArn: string;
      readonly targetSecretArn: string;
      /** @default - everything from the secrets */
      readonly sourceFallback?: ConnectionFallback;
      readonly targetFallback?: ConnectionFallback;
      readonly publication: string;
      readonly subscription: string;
      readonly verify: { readonly tables: readonly string[]; readonly chunkSize: number };
      readonly limits: DatabaseLimits;
    }
  | {
      readonly kind: 'rds-read-replica';
      readonly sourceSecretArn: string;
      /** @default - everything from the secret */
      readonly sourceFallback?: ConnectionFallback;
      /** The replica's own connection: its replay position is read there. */
      readonly replicaSecretArn: string;
      /** @default - everything from the secret */
      readonly replicaFallback?: ConnectionFallback;
      readonly sourceInstanceId: string;
      readonly replicaInstanceId: string;
      readonly limits: DatabaseLimits;
    }
  | {
      readonly kind: 'rds-blue-green';
      readonly blueGreenDeploymentId: string;
      readonly switchoverTimeoutSeconds: number;
      readonly limits: DatabaseLimits;
    };

export interface ContextTimeouts {
  /** A bake's worst case (INSYNC + TTL + bake) plus a grace for a silent watcher. */
  readonly bakeSeconds: number;
  readonly decisionSeconds: number;
  /** 0 without a database. */
  readonly approvalSeconds: number;
  /** How long a failure past the point of no return waits for an operator in all (0 without a database). */
  readonly operatorSeconds: number;
  /** One ask of that wait: the question is repeated (and notified) OPERATOR_ASKS times. */
  readonly operatorAskSeconds: number;
  /** The worst case of the whole cutover plus the operator's decision: how long the lock holds. */
  readonly lockSeconds: number;
  /** How long green may take to deploy (or, when already deployed, to answer). */
  readonly deploySeconds: number;
}

/** What the workflow may wait on a human or the health watcher for; an answer names the wait it is for. */
export type WaitKind = 'bake' | 'decision' | 'approval' | 'operator';

/**
 * The timeout each wait is held to (the state machine's wait and the deadline the operator API shows).
 * An operator wait past the point of no return lasts one ask; it is then asked again (or defaulted).
 */
export const WAIT_TIMEOUTS = {
  bake: 'bakeSeconds',
  decision: 'decisionSeconds',
  approval: 'approvalSeconds',
  operator: 'operatorAskSeconds',
} as const satisfies Record<WaitKind, keyof ContextTimeouts>;

/** What the state machine's Choice states branch on. */
export interface ContextFlags {
  readonly deploy: DeploySpec['kind'];
  readonly database: DatabaseKind;
  readonly approval: boolean;
  readonly pauseOnHealthFailure: boolean;
  readonly pauseOnInconclusive: boolean;
}

export interface ExecutionContext {
  readonly version: typeof CONTEXT_VERSION;
  readonly execution: string;
  /** The plan's name (audit records and notifications carry it). */
  readonly plan: string;
  /**
   * The plan's promotion digest (domain/promotion/promotion-digest.ts): the outcome is recorded under it,
   * for the environment above to find. Absent from contexts resolved by an older release.
   */
  readonly promotionDigest?: string;
  readonly zones: readonly ZonePairs[];
  /** The database endpoint the switch repoints; null when the database has none (or there is none). */
  readonly endpoint: DatabaseEndpoint | null;
  /** Every record the cutover changes (its weighted pairs and the endpoint) and the databases it switches. */
  readonly lockKeys: readonly LockKey[];
  readonly health: HealthSpec;
  readonly deploy: DeploySpec;
  readonly database: DatabaseSpec;
  readonly steps: readonly ShiftStep[];
  readonly stepCount: number;
  readonly timeouts: ContextTimeouts;
  readonly flags: ContextFlags;
  /** How long blue stays deployed after a completed cutover. */
  readonly keepBlueSeconds: number;
  /** The plan's own SNS topic for its events (`notifications.snsTopicArn`), if it names one. */
  readonly notificationTopicArn?: string | null;
}

/** Pairs grouped by hosted zone, in the order the zones first appear. */
export function groupByZone(pairs: readonly WeightedPair[]): ZonePairs[] {
  const zones = new Map<string, WeightedPair[]>();
  for (const pair of pairs) zones.set(pair.hostedZoneId, [...(zones.get(pair.hostedZoneId) ?? []), pair]);
  return [...zones].map(([hostedZoneId, grouped]) => ({ hostedZoneId, pairs: grouped }));
}

/** Every weighted pair of the context, whatever its zone. */
export function weightedPairs(context: Pick<ExecutionContext, 'zones'>): WeightedPair[] {
  return context.zones.flatMap((zone) => zone.pairs);
}

/** True for a context of the version these steps read (a context from another release is refused). */
export function isExecutionContext(value: unknown): value is ExecutionContext {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { version?: unknown }).version === CONTEXT_VERSION
  );
}
