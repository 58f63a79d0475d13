import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plan } from '../../domain/plan/schema';
import { scalePlanTime } from '../../domain/plan/time-scale';
import { validatePlan } from '../../domain/plan/validate';
import { resolveSchedule } from '../../domain/schedule/resolve';
import { answerWait } from '../../operations/answer-wait';
import { requestRollback } from '../../operations/request-rollback';
import { PostgresReplicationLagMonitor } from '../../adapters/postgres/replication-lag-monitor';
import { PostgresSessions } from '../../adapters/postgres/postgres-sessions';
import { lockKeys } from '../../domain/context/resolve-context';
import type { LoadResult } from '../load/load-types';
import { startLoadWorker } from '../load/start-load-worker';
import { synthesizeWorkflowDefinition, type WorkflowDefinition } from '../workflow-definition';
import { localExecutionArn, startLocalExecution, taskStateNames } from '../workflow-runner';
import { InputError } from '../../domain/errors';
import { faultHooks } from './fault-hooks';
import { crashStates, type Fault } from './faults';
import { ObservedRouter } from './observed-router';
import { replicationNames, startLocalPlatform } from './local-platform';
import { PhaseTracker } from '../../domain/progress/phase-tracker';
import { outcomeOf } from '../../domain/progress/outcome';
import { isZeroDowntime, maxWriteStallMs, type RehearsalReport } from './rehearsal-report';
import { allowedZonesOf, REHEARSAL_LOCK_DIRECTORY, rehearsalPorts } from './rehearsal-ports';
import { FileMigrationLock } from '../../adapters/local/file-migration-lock';
import { LiveRehearsal } from './live-rehearsal';
import type { LocalEcsService } from '../../adapters/local/local-ecs-service';
import { awsDnsTiming, scaledDnsTiming } from './dns-timing';

/** Requests in the first second warm pools and JIT: the "before" p99 is measured after it. */
const WARM_UP_MS = 1000;
const CLIENTS = 64;

export interface RehearsalOptions {
  readonly plan: Plan;
  /** Multiplies every pacing duration of the plan (bakes, probe interval, TTLs, timeouts). */
  readonly timeScale: number;
  readonly ratePerSecond: number;
  readonly writeRatio?: number;
  readonly faults?: readonly Fault[];
  /**
   * Switch the database endpoint with DNS as on AWS: served once INSYNC (Route 53: within 60 s), then
   * cached by the apps' resolver for the plan's TTL, unscaled. `insyncSeconds` shortens the wait (tests).
   * @default - DNS at the rehearsal's pace
   */
  readonly realDnsTiming?: { readonly insyncSeconds?: number };
  /** Load before the cutover starts, to measure the p99 it is compared with. @default 4000 */
  readonly baselineMs?: number;
  /** Load after it ends. @default 1000 */
  readonly cooldownMs?: number;
  /**
   * Where the record locks go. Rehearsals that share it cannot rehearse the same records at once.
   * @default - `cutover-rehearsal-locks` in the temp directory, shared by every process on this machine
   */
  readonly lockDirectory?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RehearsalProgress) => void;
  /**
   * Who answers the workflow's questions: the rehearsal itself (approves, rolls back a paused health
   * failure, restores), or a human through the operator API (`cutover rehearse --console`).
   * @default 'auto'
   */
  readonly operator?: 'auto' | 'human';
  /** Called once the execution runs, with what the operator API reads. */
  readonly onStart?: (live: LiveRehearsal) => void;
}

export interface RehearsalProgress {
  readonly phase: string;
  readonly weights: { readonly blue: number; readonly green: number };
  readonly rps: number;
  readonly failed: number;
  readonly p99Ms: number;
  readonly lagBytes: number | undefined;
  readonly elapsedSeconds: number;
}

export interface RehearsalOutcome {
  readonly report: RehearsalReport;
  readonly load: LoadResult;
  readonly weights: readonly { atMs: number; green: number }[];
  readonly phases: readonly { name: string; startMs: number; endMs: number }[];
  /** The times writes were blocked, on either side. */
  readonly writeStalls: readonly { startMs: number; endMs: number }[];
}

/**
 * Rehearses a plan on this machine: real PostgreSQL replication, blue and green services under load,
 * and the cutover state machine as synthesized, run locally with the real step handlers. Cleans up
 * everything it started, whatever happens.
 */
export async function runRehearsal(options: RehearsalOptions): Promise<RehearsalOutcome> {
  const scaled = scalePlanTime(options.plan, options.timeScale);
  const plan = validatePlan(
    options.operator === 'human' ? withHumanTimeouts(scaled, options.plan) : scaled,
  ).plan;
  const schedule = resolveSchedule(plan);
  const executionName = `rehearsal-${randomUUID().slice(0, 8)}`;
  const executionArn = localExecutionArn(executionName);
  const startedAt = Date.now();
  const workflow = workflowFor(plan);

  const tasks = taskStateNames(workflow.definition);
  for (const name of crashStates(options.faults ?? [])) {
    if (!tasks.includes(name)) {
      throw new InputError(
        `--fault step-crash:${name}: no Task state named ${name}; expected one of ${tasks.join(', ')}`,
      );
    }
  }

  // Refuse at once, before starting anything, when another rehearsal holds one of the records.
  const lock = new FileMigrationLock(options.lockDirectory ?? REHEARSAL_LOCK_DIRECTORY);
  const keys = lockKeys(plan);
  for (const key of keys) await lock.acquire(key, executionArn, 3600);
  const releaseLocks = async () => {
    for (const key of keys) await lock.release(key, executionArn);
  };

  const dns = options.realDnsTiming
    ? awsDnsTiming(options.plan, options.timeScale, options.realDnsTiming.insyncSeconds)
    : scaledDnsTiming(plan, options.timeScale);
  const platform = await startLocalPlatform(plan, { dns }).catch(async (error: unknown) => {
    await releaseLocks();
    throw error;
  });
  const loops = new AbortController();
  let closeLoad = async (): Promise<void> => undefined;
  try {
    const hooks = faultHooks(options.faults ?? [], plan, schedule.steps, platform);
    const traffic = new ObservedRouter(platform.router, hooks.onWeights, hooks.throttles);
    const ports = rehearsalPorts(plan, platform, traffic, lock);

    const record = plan.dns.records[0]!;
    const served = () => platform.router.served(record.hostedZoneId, record.name) ?? { blue: 100, green: 0 };
    const load = await startLoadWorker({
      clients: CLIENTS,
      ttlMs: record.ttl * 1000,
      load: {
        ratePerSecond: options.ratePerSecond,
        writeRatio: options.writeRatio ?? 0.3,
        targets: { blue: platform.apps.blue.url, green: platform.apps.green.url },
        maxDurationMs: 15 * 60_000,
        timeoutMs: 2000,
        bucketMs: 250,
      },
    });
    closeLoad = () => load.close();
    const loadStartedAt = load.startedAt;
    const phases = new PhaseTracker();
    let rollbackStartedAt: number | undefined;
    let lagBytes: number | undefined;
    const showProgress = (now: number): void => {
      if (!options.onProgress) return;
      const current = load.live();
      options.onProgress({
        phase: phases.current,
        weights: served(),
        rps: current.rps,
        failed: current.failed,
        p99Ms: current.p99Ms,
        lagBytes,
        elapsedSeconds: (now - startedAt) / 1000,
      });
    };
    showProgress(Date.now());
    await hooks.beforeRun();
    await sleep(options.baselineMs ?? 4000, undefined, { signal: options.signal });
    const cutoverStartedAt = Date.now();

    const execution = startLocalExecution({
      workflow,
      ports,
      plan,
      executionName,
      waitMs: (_state, seconds) => (seconds === undefined ? undefined : seconds * 1000 * options.timeScale),
      crashOnce: hooks.crashOnce,
      onEvent: (event) => {
        if (event.type !== 'StateEntered' || !event.state) return;
        const phase = phases.current;
        phases.enter(event.state.name, event.timestamp);
        // However short, every phase is shown.
        if (phases.current !== phase) showProgress(event.timestamp);
        if (process.env['CUTOVER_REHEARSAL_DEBUG'])
          process.stderr.write(`[state] ${event.timestamp} ${event.state.name}\n`);
        if (event.state.name === 'Rollback') rollbackStartedAt ??= event.timestamp;
      },
    });
    const live = new LiveRehearsal(
      executionName,
      executionArn,
      options.plan,
      plan,
      schedule.steps,
      cutoverStartedAt,
      ports,
      phases,
    );
    options.onStart?.(live);
    const abort = () => execution.abort();
    options.signal?.addEventListener('abort', abort, { once: true });

    const weights: { atMs: number; green: number }[] = [];
    let blueBackAt: number | undefined;
    const lagSessions = new PostgresSessions(platform.databases.blue);
    const lagMonitor = new PostgresReplicationLagMonitor(lagSessions, replicationNames(plan).subscription);
    const sampler = (async () => {
      let tick = 0;
      while (!loops.signal.aborted) {
        const now = Date.now();
        const green = served().green;
        load.setGreenPercent(green);
        weights.push({ atMs: now - loadStartedAt, green });
        live.recordWeights(now, served());
        const since = hooks.injectedAt() ?? rollbackStartedAt;
        if (
          since !== undefined &&
          blueBackAt === undefined &&
          green === 0 &&
          weights.some((w) => w.green > 0)
        )
          blueBackAt = now;
        if (tick++ % 20 === 0)
          live.lagBytes = lagBytes = await lagMonitor.lag().then(
            (l) => l.amount,
            () => undefined,
          );
        showProgress(now);
        if (options.operator !== 'human') await autoOperator(ports, executionArn);
        await sleep(50);
      }
    })();

    const result = await execution.result;
    live.result = result;
    options.signal?.removeEventListener('abort', abort);
    const cutoverEndedAt = Date.now();
    phases.finish(cutoverEndedAt);
    await sleep(options.cooldownMs ?? 1000);
    loops.abort();
    load.stop();
    const [loadResult] = await Promise.all([load.result, sampler]);
    await lagSessions.close();

    const stats = await Promise.all([platform.apps.blue.stats(), platform.apps.green.stats()]);
    const final = served();
    const outcome = outcomeOf(result.status, result.error);
    const faultAt = hooks.injectedAt() ?? rollbackStartedAt;
    const verification = ports.verification();
    const writeStallMs = Math.max(...stats.map((s) => s.longestWriteStallMs));
    const maxStallMs = maxWriteStallMs(plan);
    const report: RehearsalReport = {
      plan: plan.name,
      outcome,
      cause: result.status === 'FAILED' ? `${result.error ?? 'Error'}: ${result.cause ?? ''}` : null,
      finalWeights: final,
      requests: loadResult.requests,
      latencyMs: loadResult.latencyMs,
      p99BeforeMs: (await load.latencyBetween(WARM_UP_MS, cutoverStartedAt - loadStartedAt)).p99,
      p99DuringMs: (
        await load.latencyBetween(cutoverStartedAt - loadStartedAt, cutoverEndedAt - loadStartedAt)
      ).p99,
      writeStallMs,
      maxWriteStallMs: maxStallMs,
      zeroDowntime: isZeroDowntime(loadResult.requests.failed, writeStallMs, maxStallMs),
      rollback:
        outcome !== 'rolled_back'
          ? null
          : {
              reason: result.cause ?? '',
              seconds: faultAt !== undefined && blueBackAt !== undefined ? (blueBackAt - faultAt) / 1000 : 0,
            },
      phases: phases.spans.map((span) => ({
        name: span.name,
        startedAt: new Date(span.startedAt).toISOString(),
        endedAt: new Date(span.endedAt).toISOString(),
      })),
      transitions: result.transitions,
      dataCheck: verification,
      greenDeployments: greenDeploymentsOf(platform.greenService),
      faults: (options.faults ?? []).map((f) => (f.parameter ? `${f.name}:${f.parameter}` : f.name)),
      timeScale: options.timeScale,
      dns: { mode: options.realDnsTiming ? 'aws' : 'scaled', ...dns },
      ratePerSecond: options.ratePerSecond,
      achievedRatePerSecond: Math.round(loadResult.requests.total / (loadResult.durationMs / 1000)),
      durationSeconds: (Date.now() - startedAt) / 1000,
    };
    return {
      report,
      load: loadResult,
      weights,
      phases: phases.spans.map((s) => ({
        name: s.name,
        startMs: s.startedAt - loadStartedAt,
        endMs: s.endedAt - loadStartedAt,
      })),
      writeStalls: stats
        .flatMap((s) => s.writeStalls)
        .map((stall) => ({
          startMs: stall.startedAt - loadStartedAt,
          endMs: stall.startedAt - loadStartedAt + stall.ms,
        }))
        .sort((a, b) => a.startMs - b.startMs),
    };
  } finally {
    loops.abort();
    await closeLoad();
    await platform.stop();
    await releaseLocks();
  }
}

const definitions = new Map<string, WorkflowDefinition>();

/**
 * The state machine for a plan's records. It depends on nothing else, so it is synthesized once per
 * process (seconds of CPU): a test file rehearses many times. The runner works on a copy of it.
 */
function workflowFor(plan: Plan): WorkflowDefinition {
  const allowedZones = allowedZonesOf(plan);
  const key = JSON.stringify(allowedZones);
  let workflow = definitions.get(key);
  if (!workflow) {
    workflow = synthesizeWorkflowDefinition({ allowedZones, databaseSecretArns: [], deployStacks: [] });
    definitions.set(key, workflow);
  }
  return workflow;
}

/**
 * The rehearsal plays the operator: it approves the switchover, rolls back when health asks for a
 * decision (a cautious operator would), and restores blue if the switch fails.
 */
async function autoOperator(ports: ReturnType<typeof rehearsalPorts>, execution: string): Promise<void> {
  const { pending } = await ports.control.get(execution);
  if (!pending || pending.kind === 'bake') return;
  const actor = 'rehearsal';
  if (pending.kind === 'approval') await answerWait(ports, { execution, actor, answer: 'approve' });
  else if (pending.kind === 'decision') {
    const reason = typeof pending.detail['reason'] === 'string' ? pending.detail['reason'] : 'health failed';
    await requestRollback(ports, { execution, actor, reason });
  } else await answerWait(ports, { execution, actor, answer: 'restore' });
}

function greenDeploymentsOf(service: LocalEcsService): RehearsalReport['greenDeployments'] {
  return service.history().map((d) => ({
    taskDefinition: d.taskDefinition,
    image:
      service
        .taskDefinition(d.taskDefinition)
        ?.containers.map((c) => c.image)
        .join(', ') ?? '',
    state: d.rolloutState,
    reason: d.rolloutStateReason ?? null,
    startedAt: d.createdAt.toISOString(),
  }));
}

/** A human answers in human time: with a human operator, the plan's questions keep their own timeouts. */
function withHumanTimeouts(scaled: Plan, original: Plan): Plan {
  return {
    ...scaled,
    traffic: { ...scaled.traffic, decisionTimeout: original.traffic.decisionTimeout },
    database:
      scaled.database.kind === 'none' || original.database.kind === 'none'
        ? scaled.database
        : { ...scaled.database, approvalTimeout: original.database.approvalTimeout },
  };
}
