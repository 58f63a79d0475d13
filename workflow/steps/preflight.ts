import { databaseLimits } from '../../domain/plan/database-limits';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { Plan } from '../../domain/plan/schema';
import { greenShare } from '../../domain/traffic/weights';
import { stepBase } from '../contracts';
import { describeRound, probeRound } from '../probe-round';
import type { Ports } from '../ports';
import { defineStep, ensureNoRollback, planOf, withDatabase } from '../step';
import { lockKeys } from './lock';

/**
 * Checks, before anything changes, that the cutover can run: records within this orchestrator's
 * allowance and present, not already cut over, green answering (when already deployed), and the
 * database replicating within the plan's lag.
 */
export const preflightStep = defineStep({
  name: 'preflight',
  input: stepBase,
  async run(ports, input, signal) {
    const plan = planOf(input);
    await ensureNoRollback(ports, input.execution, signal);
    checkAllowed(ports, plan);
    await checkRecords(ports, plan, signal);
    if (plan.deploy.kind === 'none') await checkGreenAnswers(ports, plan, signal);
    await checkReplication(ports, plan, signal);
    return { ok: true };
  },
});

function fail(message: string): never {
  throw new CutoverError(ErrorNames.PreflightFailed, message);
}

function checkAllowed(ports: Ports, plan: Plan): void {
  for (const key of lockKeys(plan)) {
    const zone = ports.allowedZones.find((z) => z.hostedZoneId === key.hostedZoneId);
    const name = key.recordName.replace(/\.$/, '').toLowerCase();
    if (!zone?.recordNames.includes(name)) {
      fail(
        `${key.recordName} in zone ${key.hostedZoneId} is not among the records this orchestrator may change`,
      );
    }
  }
}

async function checkRecords(ports: Ports, plan: Plan, signal?: AbortSignal): Promise<void> {
  for (const record of plan.dns.records) {
    const weights = await ports.traffic
      .readWeights(record, signal)
      .catch((error: Error) => fail(error.message));
    if (greenShare(weights) >= 100)
      fail(`${record.name} already sends all traffic to green: nothing to cut over`);
  }
}

async function checkGreenAnswers(ports: Ports, plan: Plan, signal?: AbortSignal): Promise<void> {
  const round = await probeRound(ports, plan.health, signal);
  if (round.outcome === 'unhealthy') fail(`green is not healthy: ${describeRound(round)}`);
}

async function checkReplication(ports: Ports, plan: Plan, signal?: AbortSignal): Promise<void> {
  const db = plan.database;
  if (db.kind === 'none') return;
  const lag = await withDatabase(ports, plan, (ports) => ports.monitor.lag(signal));
  if (!lag.streaming) fail(`database replication is not running (${db.kind})`);
  const limit = databaseLimits(plan)?.maxLag;
  if (limit !== undefined && lag.amount > limit) {
    fail(`database replication lags by ${lag.amount} ${lag.unit}, over the plan's ${limit} ${lag.unit}`);
  }
}
