import { longestTtl } from '../dns/record-name';
import { durationSeconds } from '../duration';
import { databaseLimits } from '../plan/database-limits';
import { hasEndpoint } from '../plan/endpoint';
import type { Plan } from '../plan/schema';
import { promotionDigest } from '../promotion/promotion-digest';
import { executionWorstCaseSeconds, resolveSchedule } from '../schedule/resolve';
import { Timing } from '../schedule/timing';
import {
  CONTEXT_VERSION,
  groupByZone,
  type DatabaseEndpoint,
  type DatabaseSpec,
  type DeploySpec,
  type ExecutionContext,
  type HealthSpec,
  type LockKey,
  DATABASE_LOCK_ZONE,
} from './execution-context';

/** How many times, after a failure past the point of no return, an operator is asked before the safe default. */
export const OPERATOR_ASKS = 4;

/** Resolves a validated plan, once, into the context every later step of `execution` reads. */
export function resolveExecutionContext(plan: Plan, execution: string): ExecutionContext {
  const schedule = resolveSchedule(plan);
  const db = plan.database;
  const maxTtl = longestTtl(plan.dns.records);
  return {
    version: CONTEXT_VERSION,
    execution,
    plan: plan.name,
    promotionDigest: promotionDigest(plan),
    zones: groupByZone(plan.dns.records),
    endpoint: databaseEndpoint(plan),
    lockKeys: lockKeys(plan),
    health: healthSpec(plan),
    deploy: deploySpec(plan, execution),
    database: databaseSpec(plan),
    steps: schedule.steps,
    stepCount: schedule.steps.length,
    timeouts: {
      bakeSeconds:
        Math.ceil(durationSeconds(plan.traffic.bake) + maxTtl + Timing.route53InSync.worst) +
        Timing.bakeGrace,
      decisionSeconds: Math.ceil(durationSeconds(plan.traffic.decisionTimeout)),
      approvalSeconds: db.kind === 'none' ? 0 : Math.ceil(durationSeconds(db.approvalTimeout)),
      operatorSeconds: operatorSeconds(plan),
      operatorAskSeconds: Math.max(1, Math.ceil(operatorSeconds(plan) / OPERATOR_ASKS)),
      lockSeconds: Math.ceil(executionWorstCaseSeconds(schedule, operatorSeconds(plan))),
      deploySeconds:
        plan.deploy.kind === 'none' ? Timing.verifyDeployed.worst : durationSeconds(plan.deploy.timeout),
    },
    flags: {
      deploy: plan.deploy.kind,
      database: db.kind,
      approval: db.kind !== 'none' && db.approval === 'required',
      pauseOnHealthFailure: plan.traffic.onHealthFailure === 'pause',
      pauseOnInconclusive: plan.health.inconclusive === 'pause',
    },
    keepBlueSeconds: durationSeconds(plan.finalize.keepBlueFor),
    notificationTopicArn: plan.notifications?.snsTopicArn ?? null,
  };
}

/** The endpoint the database switch repoints, for the kinds of database that have one. */
export function databaseEndpoint(plan: Plan): DatabaseEndpoint | null {
  const db = plan.database;
  return hasEndpoint(db) ? { ...db.endpoint } : null;
}

/**
 * Every record a plan changes (its weighted pairs and, when it has one, the database endpoint), then
 * the identities of the databases it switches.
 */
export function lockKeys(plan: Plan): LockKey[] {
  const keys = plan.dns.records.map((r) => ({ hostedZoneId: r.hostedZoneId, recordName: r.name }));
  const endpoint = databaseEndpoint(plan);
  if (endpoint) keys.push({ hostedZoneId: endpoint.hostedZoneId, recordName: endpoint.name });
  return [
    ...keys,
    ...databaseIdentities(plan).map((recordName) => ({ hostedZoneId: DATABASE_LOCK_ZONE, recordName })),
  ];
}

/** The databases a plan switches, by their AWS identities (or their secrets, for self-managed ones). */
function databaseIdentities(plan: Plan): string[] {
  const db = plan.database;
  switch (db.kind) {
    case 'none':
      return [];
    case 'postgres-logical':
      return [`postgres:${db.source.secretArn}`, `postgres:${db.target.secretArn}`];
    case 'rds-read-replica':
      return [`rds-instance:${db.sourceInstanceId}`, `rds-instance:${db.replicaInstanceId}`];
    case 'rds-blue-green':
      return [`rds-blue-green:${db.blueGreenDeploymentId}`];
  }
}

function healthSpec(plan: Plan): HealthSpec {
  const { probes, interval, failureThreshold, inconclusiveLimit } = plan.health;
  return {
    probes: probes.map((probe) =>
      probe.kind === 'http'
        ? {
            kind: 'http',
            url: probe.url,
            expectStatus: probe.expectStatus,
            latencyBudgetSeconds: durationSeconds(probe.latencyBudget),
          }
        : probe,
    ),
    intervalSeconds: durationSeconds(interval),
    failureThreshold,
    inconclusiveLimit,
  };
}

function deploySpec(plan: Plan, execution: string): DeploySpec {
  const deploy = plan.deploy;
  switch (deploy.kind) {
    case 'none':
      return deploy;
    case 'cloudformation': {
      const { stackName, templateUrl, parameters, capabilities } = deploy;
      return {
        kind: 'cloudformation',
        stackName,
        changeSetName: changeSetName(execution),
        templateUrl,
        parameters,
        capabilities,
      };
    }
    case 'ecs': {
      const { cluster, service, container, image } = deploy;
      return { kind: 'ecs', cluster, service, container, image };
    }
  }
}

function databaseSpec(plan: Plan): DatabaseSpec {
  const db = plan.database;
  const limits = databaseLimits(plan);
  if (db.kind === 'none' || !limits) return { kind: 'none' };
  switch (db.kind) {
    case 'postgres-logical':
      return {
        kind: db.kind,
        sourceSecretArn: db.source.secretArn,
        targetSecretArn: db.target.secretArn,
        // A secret without a host (RDS-managed) connects to the side the endpoint names.
        sourceFallback: { host: db.endpoint.blue, ...named(db.source.dbname) },
        targetFallback: { host: db.endpoint.green, ...named(db.target.dbname) },
        publication: db.publication,
        subscription: db.subscription,
        verify: db.verify,
        limits,
      };
    case 'rds-read-replica':
      return {
        kind: db.kind,
        sourceSecretArn: db.source.secretArn,
        sourceFallback: { instanceId: db.sourceInstanceId, ...named(db.source.dbname) },
        replicaSecretArn: db.replica.secretArn,
        replicaFallback: { instanceId: db.replicaInstanceId, ...named(db.replica.dbname) },
        sourceInstanceId: db.sourceInstanceId,
        replicaInstanceId: db.replicaInstanceId,
        limits,
      };
    case 'rds-blue-green':
      return {
        kind: db.kind,
        blueGreenDeploymentId: db.blueGreenDeploymentId,
        switchoverTimeoutSeconds: durationSeconds(db.switchoverTimeout),
        limits,
      };
  }
}

/** The plan's database name for a connection, when it gives one. */
function named(dbname: string | undefined): { database?: string } {
  return dbname === undefined ? {} : { database: dbname };
}

/** How long a failure past the point of no return waits for an operator, in all (0 without a database). */
function operatorSeconds(plan: Plan): number {
  const db = plan.database;
  return db.kind === 'none' ? 0 : Math.ceil(durationSeconds(db.operatorTimeout));
}

/** `cutover-<execution name>`, within a change set name's rules ([a-zA-Z][-a-zA-Z0-9]*, at most 128). */
function changeSetName(execution: string): string {
  const name = execution.slice(execution.lastIndexOf(':') + 1).replace(/[^A-Za-z0-9-]/g, '-');
  return `cutover-${name}`.slice(0, 128);
}
