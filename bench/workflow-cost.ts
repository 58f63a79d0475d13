/**
 * Cost of one cutover on AWS, counted from the synthesized state machine run locally: billed state
 * transitions and (estimated) history events, for 5-minute and 24-hour bakes. A virtual clock makes a
 * 24 h bake pass in about a second: the bake is one task-token wait in the state machine, completed by
 * the health watcher once `ports.now()` passes its deadline, so its length must not show in the counts.
 */
import '../local/lambda-environment';
import { LocalTaskCallbacks } from '../adapters/local/local-task-callbacks';
import { LocalWeightedRouter } from '../adapters/local/local-weighted-router';
import { MemoryControlSignals } from '../adapters/local/memory-control-signals';
import { MemoryJournal } from '../adapters/local/memory-journal';
import { MemoryMigrationLock } from '../adapters/local/memory-migration-lock';
import { parseDuration } from '../domain/duration';
import type { PlanInput } from '../domain/plan/schema';
import { validatePlan } from '../domain/plan/validate';
import { synthesizeWorkflowDefinition, type WorkflowDefinition } from '../local/workflow-definition';
import { startLocalExecution, type LocalPorts } from '../local/workflow-runner';
import type { DatabasePorts } from '../workflow/ports';

export const USD_PER_TRANSITION = 0.025 / 1000;
export const RUNS_PER_CASE = 3;
/** Real time one bake lasts under the virtual clock. */
const REAL_MS_PER_BAKE = 1000;

const ZONE = 'Z0EXAMPLEPUBLIC';
const PRIVATE_ZONE = 'Z0EXAMPLEPRIVATE';
const RECORD = 'app.example.com';
const DB_RECORD = 'db.internal.example.com';
const ALLOWED_ZONES = [
  { hostedZoneId: ZONE, recordNames: [RECORD] },
  { hostedZoneId: PRIVATE_ZONE, recordNames: [DB_RECORD] },
];

export interface CostCase {
  readonly label: string;
  readonly database: boolean;
  /** A plan duration: '5m', '24h'. */
  readonly bake: string;
  /** The health probe interval: with the virtual clock, large enough that probing stays cheap. */
  readonly probeInterval: string;
}

export const COST_CASES: readonly CostCase[] = [
  { label: 'App + PostgreSQL, 5 min bakes', database: true, bake: '5m', probeInterval: '10s' },
  { label: 'App + PostgreSQL, 24 h bakes', database: true, bake: '24h', probeInterval: '10m' },
  { label: 'App only, 5 min bakes', database: false, bake: '5m', probeInterval: '10s' },
  { label: 'App only, 24 h bakes', database: false, bake: '24h', probeInterval: '10m' },
];

export interface CostRun {
  readonly status: string;
  readonly transitions: number;
  readonly historyEvents: number;
  readonly states: readonly string[];
  /** Health rounds the watcher ran (outside the state machine; depends on timing). */
  readonly healthRounds: number;
  readonly wallMs: number;
}

export interface CostResult {
  readonly case: CostCase;
  readonly runs: readonly CostRun[];
  /** Same status, transitions, history events and states in every run. */
  readonly deterministic: boolean;
}

/** The benchmark plan: four steps [1, 10, 50, 100], optionally a PostgreSQL logical-replication switchover. */
export function benchPlan(options: { database: boolean; bake: string; probeInterval: string }): PlanInput {
  return {
    name: 'bench',
    dns: {
      records: [
        {
          hostedZoneId: ZONE,
          name: RECORD,
          type: 'CNAME',
          ttl: 30,
          blue: { setIdentifier: 'blue', values: ['blue-lb.example.com'] },
          green: { setIdentifier: 'green', values: ['green-lb.example.com'] },
        },
      ],
    },
    health: {
      probes: [{ kind: 'http', url: 'https://green-lb.example.com/healthz' }],
      interval: options.probeInterval,
    },
    traffic: { steps: [1, 10, 50, 100], bake: options.bake },
    ...(options.database
      ? {
          database: {
            kind: 'postgres-logical',
            source: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:blue-AbCdEf' },
            target: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:green-GhIjKl' },
            publication: 'cutover',
            subscription: 'cutover',
            endpoint: {
              hostedZoneId: PRIVATE_ZONE,
              name: DB_RECORD,
              ttl: 5,
              blue: 'pg-blue.internal.example.com',
              green: 'pg-green.internal.example.com',
            },
            maxLagBytes: 1_048_576,
            maxWriteFreeze: '10s',
            verify: { tables: ['orders'] },
            approval: 'none',
          },
        }
      : {}),
  } as PlanInput;
}

/**
 * A database pair that is always caught up and verifies clean. `frozen` reports the write freeze, during
 * which the virtual clock runs at real speed (the freeze is bounded by maxWriteFreeze in real time).
 */
function healthyDatabase(frozen: (on: boolean) => void): DatabasePorts {
  return {
    monitor: { lag: async () => ({ amount: 0, unit: 'bytes', streaming: true }) },
    freeze: {
      freeze: async () => (frozen(true), { untouchedSessions: [] }),
      unfreeze: async () => frozen(false),
    },
    verifier: {
      syncSequences: async () => [{ sequence: 'orders_id_seq', value: 42 }],
      startPass: async () => ({ lsn: '0/100', since: '1000', wholeTables: [] }),
      compareChunks: async () => ({ cursor: null, chunkSize: 100, chunks: 1, rows: 100, differing: [] }),
      drainChanges: async () => ({
        drainedTo: '0/200',
        caughtUp: true,
        rows: 10,
        differing: [],
        wholeTables: [],
      }),
      recheck: async ({ tables }) =>
        tables.map((table) => ({ table, changedRows: 0, wholeTable: null, differences: [] })),
    },
    switch: { switchOver: async () => (frozen(false), { done: true, status: 'switched' }) },
    close: async () => undefined,
  };
}

/** In-memory ports with a virtual clock running `speedup` times faster than real time (real time while writes are frozen). */
function benchPorts(input: PlanInput, speedup: number) {
  const plan = validatePlan(input).plan;
  const router = new LocalWeightedRouter();
  for (const record of plan.dns.records) router.addRecord(record);
  if (plan.database.kind === 'postgres-logical')
    router.addEndpoint(plan.database.endpoint, plan.database.endpoint.blue);
  const journal = new MemoryJournal();
  let virtualMs = Date.now();
  let lastRealMs = virtualMs;
  let frozen = false;
  const now = () => {
    const real = Date.now();
    virtualMs += (real - lastRealMs) * (frozen ? 1 : speedup);
    lastRealMs = real;
    return new Date(virtualMs);
  };
  let healthRounds = 0;
  const ports: LocalPorts = {
    traffic: router,
    lock: new MemoryMigrationLock(),
    control: new MemoryControlSignals(),
    callbacks: new LocalTaskCallbacks(),
    notifier: journal,
    audit: journal,
    allowedZones: ALLOWED_ZONES,
    now,
    healthProbes: () => [
      {
        name: 'scripted',
        check: async () => {
          healthRounds += 1;
          return { probe: 'scripted', outcome: 'healthy', detail: 'always healthy' };
        },
      },
    ],
    deployer: () => ({
      start: async () => ({ state: 'complete' }),
      status: async () => ({ state: 'complete' }),
    }),
    database: async () =>
      healthyDatabase((on) => {
        now();
        frozen = on;
      }),
  };
  return { plan, ports, healthRounds: () => healthRounds };
}

async function runOnce(workflow: WorkflowDefinition, costCase: CostCase, run: number): Promise<CostRun> {
  const speedup = ((parseDuration(costCase.bake) ?? 0) * 1000) / REAL_MS_PER_BAKE;
  const { plan, ports, healthRounds } = benchPorts(benchPlan(costCase), speedup);
  const started = performance.now();
  const result = await startLocalExecution({
    workflow,
    ports,
    plan,
    executionName: `bench-${costCase.database ? 'db' : 'app'}-${costCase.bake}-${run}`,
    watchEveryMs: 10,
  }).result;
  if (result.status !== 'SUCCEEDED') {
    throw new Error(
      `${costCase.label}: the cutover ${result.status}: ${result.error ?? ''} ${result.cause ?? ''}`,
    );
  }
  return {
    status: result.status,
    transitions: result.transitions,
    historyEvents: result.historyEvents,
    states: result.states,
    healthRounds: healthRounds(),
    wallMs: performance.now() - started,
  };
}

function sameCounts(a: CostRun, b: CostRun): boolean {
  return (
    a.status === b.status &&
    a.transitions === b.transitions &&
    a.historyEvents === b.historyEvents &&
    a.states.join() === b.states.join()
  );
}

export interface CostMeasurement {
  readonly results: readonly CostResult[];
  /** Seconds between polls of each polled check Task, from the definition's Wait states. */
  readonly pollSeconds: Readonly<Record<string, number>>;
}

/** Runs every case RUNS_PER_CASE times on the synthesized definition. */
export async function measureWorkflowCost(log: (line: string) => void): Promise<CostMeasurement> {
  const workflow = synthesizeWorkflowDefinition({
    allowedZones: ALLOWED_ZONES,
    databaseSecretArns: [],
    deployStacks: [],
  });
  const results: CostResult[] = [];
  for (const costCase of COST_CASES) {
    const runs: CostRun[] = [];
    for (let run = 1; run <= RUNS_PER_CASE; run += 1) {
      const outcome = await runOnce(workflow, costCase, run);
      log(
        `  ${costCase.label} #${run}: ${outcome.transitions} transitions, ${outcome.historyEvents} history events (${Math.round(outcome.wallMs)} ms)`,
      );
      runs.push(outcome);
    }
    const [first] = runs;
    results.push({
      case: costCase,
      runs,
      deterministic: runs.every((r) => first !== undefined && sameCounts(first, r)),
    });
  }
  return { results, pollSeconds: pollIntervals(workflow.definition) };
}

/** Each Wait state with fixed Seconds that leads back to a Task: that Task is polled at that interval. */
function pollIntervals(definition: Record<string, unknown>): Record<string, number> {
  const states = definition['States'] as Record<string, { Type: string; Seconds?: number; Next?: string }>;
  const intervals: Record<string, number> = {};
  for (const state of Object.values(states)) {
    if (
      state.Type === 'Wait' &&
      state.Seconds !== undefined &&
      state.Next &&
      states[state.Next]?.Type === 'Task'
    ) {
      intervals[state.Next] = state.Seconds;
    }
  }
  return intervals;
}
