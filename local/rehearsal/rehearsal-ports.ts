import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalEcsDeployer } from '../../adapters/local/local-ecs-deployer';
import { FileMigrationLock } from '../../adapters/local/file-migration-lock';
import { LocalTaskCallbacks } from '../../adapters/local/local-task-callbacks';
import { MemoryControlSignals } from '../../adapters/local/memory-control-signals';
import { MemoryJournal } from '../../adapters/local/memory-journal';
import { HttpProbe } from '../../adapters/http/http-probe';
import { PostgresReplication } from '../../adapters/postgres/postgres-replication';
import { isRecordKey } from '../../domain/context/execution-context';
import { lockKeys } from '../../domain/context/resolve-context';
import { normalizeRecordName } from '../../domain/dns/record-name';
import type { Plan } from '../../domain/plan/schema';
import type { VerificationReport } from '../../ports/database';
import type { TrafficRouter } from '../../ports/traffic-router';
import { verifyOnlyDeployer } from '../../workflow/verify-only-deployer';
import type { LocalPorts } from '../workflow-runner';
import { replicationNames, type LocalPlatform } from './local-platform';

/** Where rehearsals on this machine keep their record locks (shared by every process). */
export const REHEARSAL_LOCK_DIRECTORY = join(tmpdir(), 'cutover-rehearsal-locks');

export interface RehearsalPorts extends LocalPorts {
  readonly journal: MemoryJournal;
  readonly control: MemoryControlSignals;
  /** The last data verification the workflow ran, for the report. */
  lastVerification(): VerificationReport | undefined;
}

/**
 * The workflow's ports on the local platform: the local router for Route 53, a lock file per record,
 * the real HTTP probe against green (every probe of the plan checks green's health path locally), the
 * real PostgreSQL adapter on the local pair, and green's local service for an `ecs` deploy.
 */
export function rehearsalPorts(plan: Plan, platform: LocalPlatform, traffic: TrafficRouter): RehearsalPorts {
  const journal = new MemoryJournal();
  let verification: VerificationReport | undefined;
  const ports: RehearsalPorts = {
    traffic,
    lock: new FileMigrationLock(REHEARSAL_LOCK_DIRECTORY),
    control: new MemoryControlSignals(),
    callbacks: new LocalTaskCallbacks(),
    notifier: journal,
    audit: journal,
    journal,
    allowedZones: allowedZonesOf(plan),
    now: () => new Date(),
    lastVerification: () => verification,
    healthProbes: (probes) =>
      probes.map((probe) => {
        const path = probe.kind === 'http' ? new URL(probe.url).pathname : '/healthz';
        const budget = probe.kind === 'http' ? probe.latencyBudgetSeconds : 1;
        return new HttpProbe({
          url: `${platform.apps.green.url}${path}`,
          expectStatus: probe.kind === 'http' ? probe.expectStatus : 200,
          latencyBudgetMs: budget * 1000,
          timeoutMs: Math.max(1000, budget * 2000),
        });
      }),
    // `ecs` deploys green's local service (starting the green app); other kinds find green running.
    deployer: (deploy, probes) =>
      deploy.kind === 'ecs'
        ? new LocalEcsDeployer(platform.greenService, deploy)
        : verifyOnlyDeployer(ports, probes),
    database: async () => {
      const replication = new PostgresReplication({
        source: platform.databases.blue,
        target: platform.databases.green,
        ...replicationNames(plan),
      });
      return {
        monitor: replication,
        freeze: replication,
        switch: replication,
        verifier: {
          syncSequences: (signal) => replication.syncSequences(signal),
          verify: async (tables, chunkSize, signal) =>
            (verification = await replication.verify(tables, chunkSize, signal)),
        },
        teardown: replication,
        close: () => replication.close(),
      };
    },
  };
  return ports;
}

/** A rehearsal may change exactly the records its plan names. */
export function allowedZonesOf(plan: Plan) {
  const names = new Map<string, string[]>();
  for (const { hostedZoneId, recordName } of lockKeys(plan).filter(isRecordKey)) {
    names.set(hostedZoneId, [...(names.get(hostedZoneId) ?? []), normalizeRecordName(recordName)]);
  }
  return [...names].map(([hostedZoneId, recordNames]) => ({ hostedZoneId, recordNames }));
}
