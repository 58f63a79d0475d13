import type { ExecutionContext } from '../../domain/context/execution-context';
import { isRecordKey, weightedPairs } from '../../domain/context/execution-context';
import { blueMismatches } from '../../domain/dns/blue-record-check';
import { normalizeRecordName } from '../../domain/dns/record-name';
import { CutoverError, ErrorNames } from '../../domain/errors';
import { greenShare } from '../../domain/traffic/weights';
import { verificationSlotName } from '../../domain/verification/change-stream';
import { contextInput } from '../contracts';
import { describeRound, probeRound } from '../probe-round';
import type { Ports } from '../ports';
import { Needs } from '../access';
import { defineStep, ensureNoRollback, withDatabase } from '../step';

/**
 * Checks, before anything changes, that the cutover can run: records within this orchestrator's
 * allowance and present, not already cut over, green answering (when already deployed), and the
 * database replicating within the plan's lag.
 */
export const preflightStep = defineStep({
  name: 'preflight',
  idempotent: true,
  access: [
    ...Needs.readControl,
    ...Needs.readRecords,
    ...Needs.probeHealth,
    ...Needs.useDatabase,
    ...Needs.readReplicaLag,
  ],
  input: contextInput,
  async run(ports, { context }, signal) {
    await ensureNoRollback(ports, context.execution, signal);
    checkAllowed(ports, context);
    await checkRecords(ports, context, signal);
    if (context.deploy.kind === 'none') await checkGreenAnswers(ports, context, signal);
    const removed = await checkReplication(ports, context, signal);
    return { ok: true, ...(removed.length > 0 ? { removedVerificationSlots: removed } : {}) };
  },
});

function fail(message: string): never {
  throw new CutoverError(ErrorNames.PreflightFailed, message);
}

function checkAllowed(ports: Ports, context: ExecutionContext): void {
  for (const key of context.lockKeys.filter(isRecordKey)) {
    const zone = ports.allowedZones.find((z) => z.hostedZoneId === key.hostedZoneId);
    const name = normalizeRecordName(key.recordName);
    if (!zone?.recordNames.includes(name)) {
      fail(
        `${key.recordName} in zone ${key.hostedZoneId} is not among the records this orchestrator may change`,
      );
    }
  }
}

async function checkRecords(ports: Ports, context: ExecutionContext, signal?: AbortSignal): Promise<void> {
  for (const pair of weightedPairs(context)) {
    const weights = await ports.traffic
      .readWeights(pair, signal)
      .catch((error: Error) => fail(error.message));
    if (greenShare(weights) >= 100)
      fail(`${pair.name} already sends all traffic to green: nothing to cut over`);
    const live = await ports.traffic.readBlue(pair, signal).catch((error: Error) => fail(error.message));
    const mismatches = blueMismatches(pair, live);
    if (mismatches.length > 0) fail(mismatches.join('; '));
  }
}

async function checkGreenAnswers(
  ports: Ports,
  context: ExecutionContext,
  signal?: AbortSignal,
): Promise<void> {
  const round = await probeRound(ports.healthProbes(context.health.probes), signal);
  if (round.outcome === 'unhealthy') fail(`green is not healthy: ${describeRound(round)}`);
}

/**
 * Replication running within the plan's lag; returns the verification slots earlier executions left on
 * the source, which it drops: this execution holds the database's lock, so no other pass uses them.
 */
async function checkReplication(
  ports: Ports,
  context: ExecutionContext,
  signal?: AbortSignal,
): Promise<string[]> {
  const db = context.database;
  if (db.kind === 'none') return [];
  const { problems, lag, removed } = await withDatabase(ports, context, async (ports) => ({
    problems: (await ports.preflight?.(signal)) ?? [],
    lag: await ports.monitor.lag(signal),
    removed:
      (await ports.verificationSlots?.dropLeftoverSlots(
        { except: verificationSlotName(context.execution) },
        signal,
      )) ?? [],
  }));
  if (problems.length > 0) fail(problems.join('; '));
  if (!lag.streaming) fail(`database replication is not running (${db.kind})`);
  const limit = db.limits.maxLag;
  if (lag.amount > limit) {
    fail(`database replication lags by ${lag.amount} ${lag.unit}, over the plan's ${limit} ${lag.unit}`);
  }
  return removed;
}
