import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { InputError, PlanValidationError, RunbookValidationError } from '../domain/errors';
import { safeLine } from '../domain/safe-text';
import { FAULTS, parseFault } from '../local/rehearsal/faults';
import { printIssues } from './print-issues';
import { PLAN_FORMATS, planCommand, type PlanFormat } from './commands/plan';
import {
  DEFAULT_RATE,
  DEFAULT_TIME_SCALE,
  REHEARSE_EXIT_CODES_HELP,
  rehearseCommand,
} from './commands/rehearse';
import { ANSWERS, type Answer } from '../operations/answer-wait';
import { OperateCommands, OUTPUT_FORMATS, type OperateOptions } from './commands/operate';
import { OperatorRequestError, OperatorUnreachableError } from './operator-client';
import { DEFAULT_STACK, ENDPOINT_VARIABLE, OperatorSetupError } from './operator-endpoint';
import { addRunbookCommands } from './commands/runbook';
import { EXIT_CODES_HELP, ExitCode, processIo, type CliIo } from './io';

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
    })
    .addHelpText('after', EXIT_CODES_HELP);

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
    .option(
      '--real-dns-timing',
      'switch the database endpoint with DNS as on AWS (INSYNC within 60 s, then the plan’s TTL, neither scaled), so the write stall is what AWS would give',
    )
    .option('--quiet', 'no live progress line')
    .option(
      '--console',
      'serve the web console and the operator API (URL printed); a human answers the gates with the console or the CLI',
    )
    .option('--port <port>', 'port of the console (default: any free port)', parsePort)
    .addHelpText('after', REHEARSE_EXIT_CODES_HELP)
    .action(
      async (
        file: string | undefined,
        options: {
          timeScale: number;
          rate: number;
          report?: string;
          fault: string[];
          realDnsTiming?: boolean;
          quiet?: boolean;
          console?: boolean;
          port?: number;
        },
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

  addOperatorVerbs(program, io, exitWith, signal);
  return program;
}

/** start, list, status, history, watch, the answers and rollback: all through the operator API. */
function addOperatorVerbs(
  program: Command,
  io: CliIo,
  exitWith: (code: number) => void,
  signal?: AbortSignal,
): void {
  const commands = new OperateCommands(io);
  const verb = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
      .option('--stack <name>', `the orchestrator stack whose operator API to use (default ${DEFAULT_STACK})`)
      .option('--region <region>', 'AWS region of the stack (default: the SDK’s)')
      .option(
        '--endpoint <url>',
        `a rehearsal’s operator API, as printed by cutover rehearse --console (default $${ENDPOINT_VARIABLE})`,
      )
      .addHelpText('after', EXIT_CODES_HELP);
  const run =
    <A extends unknown[]>(action: (...args: [...A, OperateOptions]) => Promise<number>) =>
    async (...args: unknown[]) => {
      const options = args[args.length - 2] as OperateOptions;
      exitWith(await action(...(args.slice(0, -2) as A), { ...options, ...(signal ? { signal } : {}) }));
    };

  verb(
    'start',
    'validate and resolve a plan, then start its cutover (the same plan twice: the same execution)',
  )
    .argument('<plan>', 'plan file (YAML or JSON)')
    .option(
      '--environment <name>',
      'the environment you mean to start in; refused unless it is the orchestrator’s (default: the orchestrator’s)',
    )
    .option(
      '--force <reason>',
      'start although the plan has not completed in the environment below (recorded with your identity)',
    )
    .action(run<[string]>((file, options) => commands.start(file, options)));
  verb('list', 'list the cutovers').action(run<[]>((options) => commands.list(options)));
  verb('status', 'phase, weights, health, lag and the pending question of a cutover')
    .argument('<execution>', 'execution name or ARN')
    .action(run<[string]>((execution, options) => commands.status(execution, options)));
  verb('history', 'the phases of a cutover and the decisions taken (who and why)')
    .argument('<execution>', 'execution name or ARN')
    .action(run<[string]>((execution, options) => commands.history(execution, options)));
  verb('watch', 'follow a cutover live until it ends; the exit code follows its outcome')
    .argument('<execution>', 'execution name or ARN')
    .option('--interval <seconds>', 'seconds between updates', parseInterval, 2)
    .action(
      run<[string]>((execution, options) =>
        commands.watch(execution, {
          ...options,
          intervalSeconds: (options as { interval?: number }).interval ?? 2,
        }),
      ),
    );
  const answers: Record<Answer, string> = {
    approve: 'approve the database switchover (the point of no return)',
    refuse: 'refuse the database switchover (the cutover rolls back)',
    continue: 'continue after a paused health failure',
    'roll-forward': 'retry the switch after a failure past the point of no return',
    restore: 'restore blue after a failure past the point of no return',
  };
  for (const answer of Object.keys(ANSWERS) as Answer[]) {
    verb(answer, answers[answer])
      .argument('<execution>', 'execution name or ARN')
      .requiredOption('--reason <text>', 'why (recorded in the decision log with your identity)')
      .action(
        run<[string]>((execution, options) =>
          commands.answer(answer, execution, options as OperateOptions & { reason: string }),
        ),
      );
  }
  verb('rollback', 'roll the cutover back to blue (a signal the workflow acts on, never StopExecution)')
    .argument('<execution>', 'execution name or ARN')
    .requiredOption('--reason <text>', 'why (recorded in the decision log with your identity)')
    .action(
      run<[string]>((execution, options) =>
        commands.rollback(execution, options as OperateOptions & { reason: string }),
      ),
    );
  verb('note', 'add a "lessons learned" note to the decision log of a finished cutover')
    .argument('<execution>', 'execution name or ARN')
    .argument('<text...>', 'the lesson, in words (recorded with your identity)')
    .action(
      run<[string, string[]]>((execution, words, options) =>
        commands.note(execution, words.join(' '), options),
      ),
    );
}

function parseInterval(value: string): number {
  const seconds = Number(value);
  if (!(seconds >= 0.1 && seconds <= 300))
    throw new InvalidArgumentError(`expected seconds from 0.1 to 300, got ${JSON.stringify(value)}`);
  return seconds;
}

function parseTimeScale(value: string): number {
  const factor = Number(value);
  if (!(factor > 0 && factor <= 1))
    throw new InvalidArgumentError(
      `expected a number greater than 0 and at most 1, got ${JSON.stringify(value)}`,
    );
  return factor;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidArgumentError(`expected a port number from 1 to 65535, got ${JSON.stringify(value)}`);
  return port;
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
  if (error instanceof OperatorRequestError) {
    io.err(safeLine(`error: ${error.message}${accessHint(error.status)}`));
    return EXIT_BY_STATUS[error.status] ?? ExitCode.failed;
  }
  if (error instanceof OperatorSetupError || error instanceof OperatorUnreachableError) {
    io.err(safeLine(`error: ${error.message}`));
    return ExitCode.noAccess;
  }
  io.err(safeLine(`error: ${error instanceof Error ? error.message : String(error)}`));
  return ExitCode.failed;
}

const EXIT_BY_STATUS: Record<number, number> = {
  400: ExitCode.invalidInput,
  401: ExitCode.noAccess,
  403: ExitCode.noAccess,
  404: ExitCode.notFound,
  409: ExitCode.conflict,
};

function accessHint(status: number): string {
  return status === 403 || status === 401
    ? ' (the operator API refused this identity: use a role with the stack’s OperatorPolicy attached)'
    : '';
}
