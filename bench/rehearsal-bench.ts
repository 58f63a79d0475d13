import { readFileSync } from 'node:fs';
import { parseDuration } from '../domain/duration';
import { parsePlanText } from '../domain/plan/parse';
import { parseFault } from '../local/rehearsal/faults';
import type { RehearsalReport } from '../local/rehearsal/rehearsal-report';
import { runRehearsal } from '../local/rehearsal/run-rehearsal';
import { naiveBigBang, type BigBangResult } from './big-bang';
import { DEFAULT_RATE, DEFAULT_TIME_SCALE, DEMO_PLAN } from '../cli/commands/rehearse';

/** `cutover rehearse` with no argument: the demo plan, at the default time scale and rate. */
export const REHEARSAL_SETTINGS = { timeScale: DEFAULT_TIME_SCALE, ratePerSecond: DEFAULT_RATE } as const;

export function demoPlan() {
  return parsePlanText(readFileSync(DEMO_PLAN, 'utf8')).plan;
}

export interface RehearsalBench {
  readonly cutover: RehearsalReport;
  readonly bigBang: BigBangResult;
  readonly unhealthy: RehearsalReport;
  /** Probe interval × failure threshold + 1 s, with the rehearsal's time scale applied to the interval. */
  readonly rollbackBoundSeconds: number;
}

/** The rehearsal targets of DESIGN.md, measured side by side in one run. */
export async function measureRehearsal(log: (line: string) => void): Promise<RehearsalBench> {
  const plan = demoPlan();
  log('rehearsal: the demo cutover under load…');
  const cutover = (await runRehearsal({ plan, ...REHEARSAL_SETTINGS })).report;
  log('rehearsal: the naive big-bang cutover under the same load…');
  const bigBang = await naiveBigBang({ plan, ...REHEARSAL_SETTINGS });
  log('rehearsal: green-unhealthy…');
  const unhealthy = (
    await runRehearsal({ plan, ...REHEARSAL_SETTINGS, faults: [parseFault('green-unhealthy')] })
  ).report;
  const interval = (parseDuration(plan.health.interval) ?? 0) * REHEARSAL_SETTINGS.timeScale;
  return { cutover, bigBang, unhealthy, rollbackBoundSeconds: interval * plan.health.failureThreshold + 1 };
}

export function renderRehearsalSection(bench: RehearsalBench): string {
  const { cutover, bigBang, unhealthy } = bench;
  const pass = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const downtime = (report: RehearsalReport) =>
    report.requests.failed === 0 ? '0 ms' : 'see failed requests';
  return [
    '## Rehearsal under load',
    '',
    `\`cutover rehearse\` on the demo plan (examples/app-postgres-logical.yaml: 4 shift steps and a PostgreSQL switchover),`,
    `time scale ${REHEARSAL_SETTINGS.timeScale}, ${REHEARSAL_SETTINGS.ratePerSecond} requests/s (30 % writes) from 64 DNS-caching clients,`,
    'everything on this machine: two PostgreSQL servers, blue and green services, the load generator, the state machine.',
    'The naive big-bang cutover runs on the same platform under the same load: stop blue, all traffic to green at once,',
    'repoint the database without a write freeze or waiting for replication.',
    '',
    '| | cutover (cutover rehearse) | naive big-bang |',
    '| --- | --- | --- |',
    `| outcome | ${cutover.outcome} | - |`,
    `| requests sent | ${cutover.requests.total} | ${bigBang.load.requests.total} |`,
    `| failed requests | ${cutover.requests.failed} | ${bigBang.load.requests.failed} |`,
    `| downtime (first to last failure) | ${downtime(cutover)} | ${ms(bigBang.downtimeMs)} |`,
    `| p99 latency | ${ms(cutover.latencyMs.p99)} (before ${ms(cutover.p99BeforeMs)}, during ${ms(cutover.p99DuringMs)}) | ${ms(bigBang.load.latencyMs.p99)} |`,
    `| longest write stall | ${ms(cutover.writeStallMs)} | - |`,
    `| rows verified before the switch | ${cutover.dataCheck.rowsCompared} in ${cutover.dataCheck.tables} tables, ${cutover.dataCheck.mismatches} mismatches | not verified |`,
    `| wall time | ${cutover.durationSeconds.toFixed(0)} s | - |`,
    '',
    '| Target | Measured | Result |',
    '| --- | --- | --- |',
    `| ≥ 300 requests/s | ${cutover.achievedRatePerSecond} requests/s while the load ran (${cutover.requests.total} requests) | ${pass(cutover.achievedRatePerSecond >= 300)} |`,
    `| 0 failed requests through the full cutover, database switchover included | ${cutover.requests.failed} | ${pass(cutover.outcome === 'completed' && cutover.requests.failed === 0)} |`,
    `| p99 during the cutover ≤ 2 × p99 before | ${ms(cutover.p99DuringMs)} vs ${ms(cutover.p99BeforeMs)} (${(cutover.p99DuringMs / cutover.p99BeforeMs).toFixed(2)} ×) | ${pass(cutover.p99DuringMs <= 2 * cutover.p99BeforeMs)} |`,
    `| longest write stall ≤ 1 s | ${ms(cutover.writeStallMs)} | ${pass(cutover.writeStallMs <= 1000)} |`,
    `| green-unhealthy: back to 100 % blue within probe interval × failure threshold + 1 s (${bench.rollbackBoundSeconds.toFixed(2)} s) | ${unhealthy.rollback?.seconds.toFixed(2) ?? '-'} s (${unhealthy.outcome}) | ${pass(unhealthy.outcome === 'rolled_back' && (unhealthy.rollback?.seconds ?? Infinity) <= bench.rollbackBoundSeconds)} |`,
    `| green-unhealthy: failed requests bounded by green's share during detection | ${unhealthy.requests.failed} failed (green ${unhealthy.requests.byTarget.green.failed}, blue ${unhealthy.requests.byTarget.blue.failed}) of ${unhealthy.requests.total} | reported |`,
    '',
  ].join('\n');
}
