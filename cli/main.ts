import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { PlanValidationError } from '../domain/errors';
import { PLAN_FORMATS, planCommand, type PlanFormat } from './commands/plan';
import { ExitCode, processIo, type CliIo } from './io';

/** Runs the CLI and returns its exit code: 0 done, 1 the operation failed, 2 bad input. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return report(error, io);
  }
}

function buildProgram(io: CliIo): Command {
  const program = new Command('cutover')
    .description('Zero-downtime migrations on AWS: plan, rehearse and run cutovers.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });

  program
    .command('plan')
    .description('validate a migration plan and print the schedule it resolves to')
    .argument('<file>', 'plan file (YAML or JSON)')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('table'))
    .option('--json', 'same as --format json')
    .action(async (file: string, options: { format: PlanFormat; json?: boolean }) => {
      await planCommand(file, options.json ? 'json' : options.format, io);
    });

  return program;
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version "errors" are successful exits; commander has already printed them.
    if (error.exitCode === 0) return ExitCode.ok;
    return ExitCode.invalidInput;
  }
  if (error instanceof PlanValidationError) {
    for (const warning of error.warnings) io.err(`warning: ${warning.path}: ${warning.message}`);
    io.err(error.message);
    return ExitCode.invalidInput;
  }
  if (error instanceof InvalidArgumentError) {
    io.err(error.message);
    return ExitCode.invalidInput;
  }
  io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
  return ExitCode.failed;
}
