import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { localCommandLine } from '../../domain/runbook/invocation';
import type { Runbook } from '../../domain/runbook/schema';
import type { TargetResult } from '../../ports/runbook-audit';
import { SCRIPTS_DIR } from '../../runbooks/catalog';

export interface LocalScriptOptions {
  readonly dryRun: boolean;
  /** Arguments appended to every step (tests point `--proc` at a fake /proc). @default none */
  readonly extraArguments?: readonly string[];
  /** @default python3 */
  readonly python?: string;
}

export interface LocalStepResult {
  readonly exitCode: number;
  /** The script's JSON result (its last line of output), undefined when it printed none. */
  readonly result?: Record<string, unknown>;
  readonly stderr: string;
}

/**
 * Runs a runbook's steps on this host, in order, exactly as the SSM document runs them on an
 * instance: the same script files, the same arguments; stops at the first step that fails.
 */
export async function runScriptsLocally(
  runbook: Runbook,
  options: LocalScriptOptions,
): Promise<TargetResult & { steps: LocalStepResult[] }> {
  const steps: LocalStepResult[] = [];
  for (const [index] of runbook.steps.entries()) {
    const [file, ...args] = localCommandLine(runbook, index, options.dryRun);
    const step = await runPython(options.python ?? 'python3', [
      join(SCRIPTS_DIR, file!),
      ...args,
      ...(options.extraArguments ?? []),
    ]);
    steps.push(step);
    if (step.exitCode !== 0) break;
  }
  const last = steps[steps.length - 1]!;
  return {
    target: 'localhost',
    status: last.exitCode === 0 ? 'Success' : 'Failed',
    ...(typeof last.result?.['status'] === 'string' ? { outcome: last.result['status'] } : {}),
    result: steps.length === 1 ? last.result : steps.map((s) => s.result),
    steps,
  };
}

function runPython(python: string, args: string[]): Promise<LocalStepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let result: Record<string, unknown> | undefined;
      try {
        result = JSON.parse(line) as Record<string, unknown>;
      } catch {
        result = undefined;
      }
      resolve({ exitCode: code ?? 1, stderr, ...(result ? { result } : {}) });
    });
  });
}
