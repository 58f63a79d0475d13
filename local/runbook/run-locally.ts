import { hostname, userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Runbook } from '../../domain/runbook/schema';
import { summarizeResult } from '../../domain/runbook/summary';
import type { RunbookAudit, RunbookRunRecord } from '../../ports/runbook-audit';
import { runScriptsLocally, type LocalScriptOptions } from './run-script';

/** Who runs a command on this host, for the audit record. */
export function localActor(): string {
  return `cli:${userInfo().username}@${hostname()}`;
}

/**
 * `cutover runbook run <name> --local`: runs the runbook's scripts on this host (this host is its one
 * target) and records the run like any other.
 */
export async function runRunbookLocally(
  runbook: Runbook,
  options: LocalScriptOptions & { readonly audit: RunbookAudit; readonly startedBy?: string },
): Promise<RunbookRunRecord> {
  const startedAt = new Date().toISOString();
  const { steps: _steps, ...result } = await runScriptsLocally(runbook, options);
  const record: RunbookRunRecord = {
    runbook: runbook.name,
    runId: randomUUID(),
    startedBy: options.startedBy ?? localActor(),
    trigger: 'manual',
    where: 'local',
    dryRun: options.dryRun,
    startedAt,
    finishedAt: new Date().toISOString(),
    outcome: result.status === 'Success' ? 'completed' : 'failed',
    targets: [result.target],
    results: [{ ...result, ...summaryOf(result.result) }],
    changed: result.outcome === 'changed' ? [result.target] : [],
  };
  await options.audit.record(record);
  return record;
}

function summaryOf(result: unknown): { summary?: string } {
  const summary = summarizeResult(result);
  return summary ? { summary } : {};
}
