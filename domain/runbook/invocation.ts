import type { Runbook, RunbookStep, Precondition } from './schema';
import { SCRIPTS, type ScriptArgument } from './scripts';

/** The file a step runs: runbooks/scripts/<script>.py, beside runbook_common.py. */
export const scriptFile = (step: RunbookStep): string => `${step.script}.py`;
export const COMMON_MODULE = 'runbook_common.py';

/** One argument of a script invocation: its flag, the SSM parameter name and pattern, and its value. */
export interface InvocationArgument {
  readonly flag: string;
  /** Name of the SSM document parameter carrying it (letters and digits). */
  readonly parameter: string;
  readonly pattern: string;
  readonly value: string;
  readonly description: string;
}

const PRECONDITION_ARGUMENTS: Record<Precondition['kind'], { flag: string; pattern: string }> = {
  'memory-available-below': { flag: '--only-if-memory-available-below', pattern: '^[0-9]{1,3}$' },
  'zombies-at-least': { flag: '--only-if-zombies-at-least', pattern: '^[0-9]{1,6}$' },
  'filesystem-used-above': {
    flag: '--only-if-filesystem-used-above',
    pattern: '^(/|(/[A-Za-z0-9._-]+)+)=[0-9]{1,2}$',
  },
};

function preconditionValue(precondition: Precondition): string {
  switch (precondition.kind) {
    case 'memory-available-below':
      return String(precondition.percent);
    case 'zombies-at-least':
      return String(precondition.count);
    case 'filesystem-used-above':
      return `${precondition.path}=${precondition.percent}`;
  }
}

/**
 * The arguments of step `index` (after `--dry-run`): its typed parameters, then the runbook's
 * preconditions. Every value is checked against the pattern the SSM document enforces, so what runs
 * locally is exactly what the document would accept.
 */
export function stepArguments(runbook: Runbook, index: number): InvocationArgument[] {
  const step = runbook.steps[index]!;
  const specs = SCRIPTS[step.script].arguments as Record<string, ScriptArgument>;
  const values = step.parameters as Record<string, unknown>;
  const result: InvocationArgument[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const value = values[name];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    result.push({
      flag: spec.flag,
      parameter: `step${index + 1}${name[0]!.toUpperCase()}${name.slice(1)}`,
      pattern: spec.pattern,
      value: spec.text(values[name] as never),
      description: `steps[${index}].parameters.${name}`,
    });
  }
  runbook.preconditions.forEach((precondition, i) => {
    const spec = PRECONDITION_ARGUMENTS[precondition.kind];
    result.push({
      ...spec,
      parameter: `precondition${i + 1}`,
      value: preconditionValue(precondition),
      description: `preconditions[${i}] (${precondition.kind})`,
    });
  });
  for (const argument of result) {
    if (!new RegExp(argument.pattern).test(argument.value)) {
      throw new Error(
        `${argument.description}: ${JSON.stringify(argument.value)} does not match ${argument.pattern}`,
      );
    }
  }
  return result;
}

/** The command line of step `index` on this host: `<script> --dry-run <bool> <flag> <value> …`. */
export function localCommandLine(runbook: Runbook, index: number, dryRun: boolean): string[] {
  const step = runbook.steps[index]!;
  return [
    scriptFile(step),
    '--dry-run',
    String(dryRun),
    ...stepArguments(runbook, index).flatMap((argument) => [argument.flag, argument.value]),
  ];
}
