import type { ExecutionHistory, ExecutionStatus, ExecutionSummary } from '../../operator-api/model';

/** One line of a running execution, for `cutover watch`: printed again whenever it changes. */
export function statusLine(s: ExecutionStatus): string {
  const step = s.step ? ` step ${s.step.index + 1}/${s.step.count}` : '';
  const health =
    s.health.state === 'baking'
      ? ` health ${s.health.consecutiveFailures ? `${s.health.consecutiveFailures} failing` : 'ok'} (${s.health.rounds} rounds)`
      : s.health.state === 'failed'
        ? ' health FAILED'
        : '';
  const lag = s.lag ? ` lag ${s.lag}` : '';
  const pending = s.pending ? ` | waiting for ${s.pending.kind} until ${s.pending.deadline ?? '-'}` : '';
  return `${s.outcome} ${s.phase}${step} blue ${s.weights.blue} % / green ${s.weights.green} %${health}${lag}${pending}`;
}

export function statusText(s: ExecutionStatus): string {
  const lines = [
    `execution ${s.execution} (plan ${s.plan}): ${s.outcome}`,
    `  arn: ${s.executionArn}`,
    `  started ${s.startedAt}${s.stoppedAt ? `, ended ${s.stoppedAt}` : ''}`,
    `  phase: ${s.phase}${s.step ? `, step ${s.step.index + 1} of ${s.step.count} (${s.step.greenPercent} % green)` : ''}`,
    `  traffic: blue ${s.weights.blue} % / green ${s.weights.green} %`,
  ];
  if (s.health.state === 'baking')
    lines.push(
      `  health: baking, ${s.health.rounds} round(s), ${s.health.consecutiveFailures} consecutive failure(s)`,
    );
  if (s.health.state === 'failed') lines.push(`  health: FAILED: ${s.health.message}`);
  if (s.lag) lines.push(`  replication lag: ${s.lag}`);
  if (s.pending) {
    lines.push(
      `  waiting for ${s.pending.kind} until ${s.pending.deadline ?? '(no deadline)'}: ${s.pending.question}`,
    );
    if (s.pending.reason) lines.push(`    because: ${s.pending.reason}`);
    lines.push(
      `    answer: cutover ${[...s.pending.answers, 'rollback'].join('|')} ${s.execution} --reason "…"`,
    );
  }
  if (s.rollbackRequested)
    lines.push(`  rollback requested by ${s.rollbackRequested.principal}: ${s.rollbackRequested.reason}`);
  if (s.cause) lines.push(`  cause: ${s.cause}`);
  return lines.join('\n');
}

export function listText(executions: readonly ExecutionSummary[]): string {
  if (!executions.length) return 'no executions';
  return executions
    .map((e) => `${e.execution.padEnd(40)} ${e.plan.padEnd(24)} ${e.outcome.padEnd(12)} ${e.startedAt}`)
    .join('\n');
}

export function historyText(h: ExecutionHistory): string {
  const lines = [`execution ${h.execution}`, '  phases:'];
  for (const phase of h.phases) lines.push(`    ${phase.startedAt}  ${phase.name} (until ${phase.endedAt})`);
  lines.push('  decisions:');
  if (!h.decisions.length) lines.push('    (none)');
  for (const d of h.decisions)
    lines.push(`    ${d.at}  ${d.action} by ${d.principal}: ${d.reason} → ${d.result}`);
  return lines.join('\n');
}
