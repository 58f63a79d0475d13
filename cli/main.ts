import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { InputError, PlanValidationError, RunbookValidationError } from '../domain/errors';
import { safeLine } from '../domain/safe-text';
import { FAULTS, parseFault } from '../local/rehearsal/faults';
import { printIssues } from './print-issues';
import { PLAN_FORMATS, planCommand, type PlanFormat } from './commands/plan';
import { DEFAULT_RATE, DEFAULT_TIME_SCALE, rehearseCommand } from './commands/rehearse';
import { addRunbookCommands } from './commands/runbook';
import { ExitCode, processIo, type CliIo } from './io';

/** Runs the CLI and returns its exit code: 0 done, 1 the operation failed, 2 bad input. */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  signal?: AbortSignal,
): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(io, (result) => (code = result), signal);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    return report(error, io);
  }
}

function buildProgram(io: CliIo, exitWith: (code: number) => void, signal?: AbortSignal): Command {
  const program = new Command('cutover')
    .description('Zero-downtime migrations on AWS: plan, rehearse and run cutovers.')
    .version('0.1.0')
    .exitOverride()
    // Commander echoes arguments in its errors: escape them like any other operator input.
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text.replace(/\n$/, '').split('\n').map(safeLine).join('\n')),
    });

  program
    .command('plan')
    .description('validate a migration plan and print the schedule it resolves to')
    .argument('<file>', 'plan file (YAML or JSON)')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('table'))
    .option('--json', 'same as --format json')
    .action(async (file: string, options: { format: PlanFormat; json?: boolean }) => {
      exitWith(await planCommand(file, options.json ? 'json' : options.format, io));
    });

  program
    .command('rehearse')
    .description(
      'run a plan’s cutover for real on this machine (PostgreSQL replication, services under load) and report on it',
    )
    .argument('[plan]', 'plan file (default: the demo, examples/app-postgres-logical.yaml)')
    .option(
      '--time-scale <factor>',
      'multiply the plan’s bakes, probe interval, TTLs and timeouts by this (0 < factor ≤ 1)',
      parseTimeScale,
      DEFAULT_TIME_SCALE,
    )
    .option('--rate <requests>', 'requests per second of the load', parseRate, DEFAULT_RATE)
    .option('--report <file>', 'write the report as JSON, and a picture beside it (.svg)')
    .option(
      '--fault <name[:parameter]>',
      `inject a fault (repeatable): ${Object.keys(FAULTS).join(', ')}`,
      collectFault,
      [] as string[],
    )
    .option('--quiet', 'no live progress line')
    .action(
      async (
        file: string | undefined,
        options: { timeScale: number; rate: number; report?: string; fault: string[]; quiet?: boolean },
      ) => {
        exitWith(
          await rehearseCommand(
            file,
            { ...options, quiet: options.quiet ?? false, ...(signal ? { signal } : {}) },
            io,
          ),
        );
      },
    );

  addRunbookCommands(program, io, exitWith);

  return program;
}

function parseTimeScale(value: string): number {
  const factor = Number(value);
  if (!(factor > 0 && factor <= 1))
    throw new InvalidArgumentError(
      `expected a number greater than 0 and at most 1, got ${JSON.stringify(value)}`,
    );
  return factor;
}

function parseRate(value: string): number {
  const rate = Number(value);
  if (!Number.isInteger(rate) || rate < 1 || rate > 5000)
    throw new InvalidArgumentError(
      `expected a whole number of requests per second from 1 to 5000, got ${JSON.stringify(value)}`,
    );
  return rate;
}

function collectFault(value: string, previous: string[]): string[] {
  try {
    parseFault(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace(/^--fault ("[^"]*"|[^:]+): /, ''));
  }
  return [...previous, value];
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version "errors" are successful exits; commander has already printed them.
    if (error.exitCode === 0) return ExitCode.ok;
    return ExitCode.invalidInput;
  }
  if (error instanceof PlanValidationError) {
    printIssues(io, { errors: error.issues, warnings: error.warnings }, false);
    return ExitCode.invalidInput;
  }
  if (
    error instanceof InvalidArgumentError ||
    error instanceof InputError ||
    error instanceof RunbookValidationError
  ) {
    io.err(safeLine(error.message));
    return ExitCode.invalidInput;
  }
  io.err(safeLine(`error: ${error instanceof Error ? error.message : String(error)}`));
  return ExitCode.failed;
}
