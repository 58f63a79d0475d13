import { durationSeconds } from '../../domain/duration';
import { COMMON_MODULE, scriptFile, stepArguments } from '../../domain/runbook/invocation';
import type { Runbook } from '../../domain/runbook/schema';

const END = 'CUTOVER_RUNBOOK_EOF';

/** The name of a runbook's SSM Command document. */
export const runbookDocumentName = (runbook: Runbook): string => `cutover-runbook-${runbook.name}`;

/**
 * A runbook as an SSM Command document (schema 2.2): one aws:runShellScript step per runbook step,
 * which writes the runbook's Python scripts to a temporary directory and runs them with the step's
 * parameters. Every parameter has an allowedPattern, and is quoted, so nothing but the reviewed
 * values can reach the command line; the workflow only ever sets `dryRun`.
 */
export function runbookDocument(runbook: Runbook, source: (file: string) => string): Record<string, unknown> {
  const parameters: Record<string, unknown> = {
    dryRun: {
      type: 'String',
      description: 'true: report what would change, change nothing',
      default: String(runbook.dryRun),
      allowedPattern: '^(true|false)$',
    },
  };
  const mainSteps = runbook.steps.map((step, index) => {
    const args = stepArguments(runbook, index);
    for (const argument of args) {
      parameters[argument.parameter] = {
        type: 'String',
        description: argument.description,
        default: argument.value,
        allowedPattern: argument.pattern,
      };
    }
    const file = scriptFile(step);
    const command = [
      'python3',
      `"$dir/${file}"`,
      '--dry-run',
      "'{{ dryRun }}'",
      ...args.flatMap((argument) => [argument.flag, `'{{ ${argument.parameter} }}'`]),
    ].join(' ');
    return {
      action: 'aws:runShellScript',
      name: `step${index + 1}`,
      precondition: { StringEquals: ['platformType', 'Linux'] },
      inputs: {
        timeoutSeconds: String(durationSeconds(runbook.timeout)),
        runCommand: [
          'set -eu',
          'dir=$(mktemp -d)',
          'trap \'rm -rf "$dir"\' EXIT',
          ...embedded(COMMON_MODULE, source(COMMON_MODULE)),
          ...embedded(file, source(file)),
          command,
        ],
      },
    };
  });
  return {
    schemaVersion: '2.2',
    description:
      `cutover runbook ${runbook.name}: ${runbook.description ?? runbook.steps.map((s) => s.script).join(', ')}`.slice(
        0,
        1024,
      ),
    parameters,
    mainSteps,
  };
}

/** Shell lines that write `text` to "$dir/<file>" through a quoted here-document (no expansion). */
function embedded(file: string, text: string): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines.includes(END) || text.includes('{{')) {
    throw new Error(`${file} cannot be embedded in an SSM document: it contains "${END}" or "{{"`);
  }
  return [`cat > "$dir/${file}" <<'${END}'`, ...lines, END];
}
