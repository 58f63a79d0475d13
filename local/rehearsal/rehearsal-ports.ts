import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalEcsDeployer } from '../../adapters/local/local-ecs-deployer';
import { LocalTaskCallbacks } from '../../adapters/local/local-task-callbacks';
import { MemoryControlSignals } from '../../adapters/local/memory-control-signals';
import { MemoryJournal } from '../../adapters/local/memory-journal';
import { HttpProbe } from '../../adapters/http/http-probe';
import { PostgresDataVerifier } from '../../adapters/postgres/data-verifier';
import { PostgresReplication } from '../../adapters/postgres/postgres-replication';
import { isRecordKey } from '../../domain/context/execution-context';
import { lockKeys } from '../../domain/context/resolve-context';
import { normalizeRecordName } from '../../domain/dns/record-name';
import type { Plan } from '../../domain/plan/schema';
import type { DataVerifier } from '../../ports/database';
import type { MigrationLock } from '../../ports/migration-lock';
import type { TrafficRouter } from '../../ports/traffic-router';
import { verifyOnlyDeployer } from '../../workflow/verify-only-deployer';
import type { LocalPorts } from '../workflow-runner';
import { replicationNames, type LocalPlatform } from './local-platform';

/** Where rehearsals on this machine keep their record locks (shared by every process). */
export const REHEARSAL_LOCK_DIRECTORY = join(tmpdir(), 'cutover-rehearsal-locks');

export interface RehearsalPorts extends LocalPorts {
  readonly journal: MemoryJournal;
  readonly control: MemoryControlSignals;
  /** What the workflow's data verification did, for the report. */
  verification(): RehearsalVerification;
}

export interface RehearsalVerification {
  readonly tables: number;
  /** Rows compared by the pass before the freeze. */
  readonly rowsCompared: number;
  readonly chunks: number;
  /** Differences left at the end: ranges after the pass, or what the re-check in the freeze found. */
  readonly mismatches: number;
}

/**
 * The workflow's ports on the local platform: the local router for Route 53, `lock` (a file per record),
 * the real HTTP probe against green (every probe of the plan checks green's health path locally), the
 * real PostgreSQL adapter on the local pair, and green's local service for an `ecs` deploy.
 */
export function rehearsalPorts(
  plan: Plan,
  platform: LocalPlatform,
  traffic: TrafficRouter,
  lock: MigrationLock,
): RehearsalPorts {
  const journal = new MemoryJournal();
  let verification: RehearsalVerification = { tables: 0, rowsCompared: 0, chunks: 0, mismatches: 0 };
  const ports: RehearsalPorts = {
    traffic,
    lock,
    control: new MemoryControlSignals(),
    callbacks: new LocalTaskCallbacks(),
    notifier: journal,
    audit: journal,
    journal,
    allowedZones: allowedZonesOf(plan),
    now: () => new Date(),
    verification: () => verification,
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
      const connections = { source: platform.databases.blue, target: platform.databases.green };
      const names = replicationNames(plan);
      const replication = new PostgresReplication({ ...connections, ...names });
      const verifier = new PostgresDataVerifier({ ...connections, ...names });
      return {
        monitor: replication,
        freeze: replication,
        switch: replication,
        verifier: recordingVerifier(verifier, (change) => {
          verification = { ...verification, ...change(verification) };
        }),
        teardown: replication,
        verificationSlots: replication,
        close: async () => {
          await Promise.all([replication.close(), verifier.close()]);
        },
      };
    },
  };
  return ports;
}

/** The real verifier, recording what each call found. */
function recordingVerifier(
  verifier: DataVerifier,
  record: (change: (seen: RehearsalVerification) => Partial<RehearsalVerification>) => void,
): DataVerifier {
  return {
    syncSequences: (signal) => verifier.syncSequences(signal),
    startPass: (request, signal) => verifier.startPass(request, signal),
    drainChanges: (request, signal) => verifier.drainChanges(request, signal),
    compareChunks: async (request, signal) => {
      const progress = await verifier.compareChunks(request, signal);
      record((seen) => ({
        tables: request.tables.length,
        chunks: seen.chunks + progress.chunks,
        rowsCompared: seen.rowsCompared + progress.rows,
        mismatches: seen.mismatches + progress.differing.length,
      }));
      return progress;
    },
    recheck: async (request, signal) => {
      const tables = await verifier.recheck(request, signal);
      record(() => ({ mismatches: tables.reduce((sum, table) => sum + table.differences.length, 0) }));
      return tables;
    },
  };
}

/** A rehearsal may change exactly the records its plan names. */
export function allowedZonesOf(plan: Plan) {
  const names = new Map<string, string[]>();
  for (const { hostedZoneId, recordName } of lockKeys(plan).filter(isRecordKey)) {
    names.set(hostedZoneId, [...(names.get(hostedZoneId) ?? []), normalizeRecordName(recordName)]);
  }
  return [...names].map(([hostedZoneId, recordNames]) => ({ hostedZoneId, recordNames }));
}
