import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Option, type Command } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isAwsError } from '../../adapters/aws/aws-errors';
import { DynamoDbRunbookAudit } from '../../adapters/aws/dynamodb-runbook-audit';
import { FileRunbookAudit } from '../../adapters/local/file-runbook-audit';
import { InputError } from '../../domain/errors';
import { stepArguments } from '../../domain/runbook/invocation';
import type { Runbook } from '../../domain/runbook/schema';
import { localActor, runRunbookLocally } from '../../local/runbook/run-locally';
import { startRunbookExecution } from '../../operations/start-runbook';
import { STACK_OUTPUTS } from '../../lib/stack-outputs';
import type { RunbookAudit, RunbookRunRecord } from '../../ports/runbook-audit';
import { loadRunbook, loadRunbooks, RUNBOOKS_DIR } from '../../runbooks/catalog';
import { ExitCode, type CliIo } from '../io';
import { DEFAULT_STACK, OperatorSetupError, resolveStack, type EndpointOptions } from '../operator-endpoint';

const OUTPUTS = ['table', 'json'] as const;
type Output = (typeof OUTPUTS)[number];

/** Where local runs are recorded: $CUTOVER_HOME/runbook-history.jsonl (default ~/.cutover). */
export function localAuditFile(): string {
  return join(process.env['CUTOVER_HOME'] ?? join(homedir(), '.cutover'), 'runbook-history.jsonl');
}

/** `cutover runbook list | show | run | history`. */
export function addRunbookCommands(program: Command, io: CliIo, exitWith: (code: number) => void): void {
  const runbook = program
    .command('runbook')
    .description('reviewed, scheduled, rate-limited fixes for servers');
  const output = () => new Option('-o, --output <format>', 'output format').choices(OUTPUTS).default('table');
  const directory = () =>
    new Option('--dir <directory>', 'where the runbook files are').default(RUNBOOKS_DIR);
  const print = (format: Output, json: unknown, text: () => string) =>
    io.out(format === 'json' ? JSON.stringify(json, null, 2) : text());

  runbook
    .command('list')
    .description('the runbooks, their targets and schedules')
    .addOption(output())
    .addOption(directory())
    .action((options: { output: Output; dir: string }) => {
      const runbooks = loadRunbooks(options.dir);
      print(options.output, runbooks, () =>
        table(
          ['Runbook', 'Targets', 'Schedule', 'Steps', 'Dry run'],
          runbooks.map((r) => [
            r.name,
            describeTargets(r),
            describeSchedule(r),
            r.steps.map((s) => s.script).join(', '),
            r.dryRun ? 'yes' : 'no',
          ]),
        ),
      );
    });

  runbook
    .command('show')
    .description('a runbook as validated, with the command line of each step')
    .argument('<name>')
    .addOption(output())
    .addOption(directory())
    .action((name: string, options: { output: Output; dir: string }) => {
      const found = loadRunbook(name, options.dir);
      const commands = found.steps.map((step, i) => ({
        script: step.script,
        arguments: stepArguments(found, i).map(({ flag, value, parameter, pattern }) => ({
          flag,
          value,
          parameter,
          pattern,
        })),
      }));
      print(options.output, { runbook: found, commands }, () =>
        [
          stringify(found).trimEnd(),
          '',
          ...commands.map(
            (c) =>
              `runs: ${c.script}.py --dry-run ${found.dryRun} ${c.arguments.map((a) => `${a.flag} ${a.value}`).join(' ')}`,
          ),
        ].join('\n'),
      );
    });

  runbook
    .command('run')
    .description('run a runbook now: on AWS (its workflow), or with --local on this host')
    .argument('<name>')
    .option('--dry-run', 'report what would change, change nothing')
    .option('--local', 'run the same scripts on this host instead of on the targets')
    .addOption(output())
    .addOption(directory())
    .action(
      async (name: string, options: { dryRun?: boolean; local?: boolean; output: Output; dir: string }) => {
        const found = loadRunbook(name, options.dir);
        const dryRun = options.dryRun ?? found.dryRun;
        if (!options.local) {
          const arn = await startRunbookExecution(new SFNClient({}), name, {
            startedBy: localActor(),
            trigger: 'manual',
            dryRun,
          });
          print(options.output, { executionArn: arn }, () => `started ${arn}`);
          return;
        }
        const record = await runRunbookLocally(found, {
          dryRun,
          audit: new FileRunbookAudit(localAuditFile()),
        });
        print(options.output, record, () => describeRun(record));
        exitWith(record.outcome === 'completed' ? ExitCode.ok : ExitCode.failed);
      },
    );

  runbook
    .command('history')
    .description(
      'who or what ran a runbook, on which targets, and what changed: runs on AWS, or with --local on this host',
    )
    .argument('<name>')
    .option('--limit <count>', 'most recent runs shown', (value) => Number.parseInt(value, 10), 20)
    .option('--local', 'runs on this host (the local history) instead of runs on AWS')
    .option('--stack <name>', 'the orchestrator stack whose control table holds the runs', DEFAULT_STACK)
    .option('--region <region>', 'its region (default: the AWS SDK’s, e.g. AWS_REGION or the profile)')
    .addOption(output())
    .addOption(directory())
    .action(
      async (
        name: string,
        options: EndpointOptions & { limit: number; local?: boolean; output: Output; dir: string },
      ) => {
        loadRunbook(name, options.dir);
        if (!Number.isInteger(options.limit) || options.limit < 1)
          throw new InputError(`--limit: ${options.limit} is not a count; expected a whole number ≥ 1`);
        const audit = options.local ? new FileRunbookAudit(localAuditFile()) : await awsRunbookAudit(options);
        const runs = await audit.history(name, options.limit).catch((error: unknown) => {
          if (isAwsError(error, 'AccessDeniedException', 'ResourceNotFoundException'))
            throw new OperatorSetupError(
              `cannot read the runs in stack ${options.stack}'s control table (${error.name}): attach the stack's OperatorPolicy to your role, or use --local for runs on this host`,
            );
          throw error;
        });
        print(options.output, runs, () =>
          runs.length === 0
            ? `no recorded runs of ${name}${options.local ? ' on this host' : ` in stack ${options.stack}`}`
            : table(
                ['Started', 'By', 'Trigger', 'Where', 'Dry run', 'Outcome', 'Targets', 'Changed'],
                runs.map((r) => [
                  r.startedAt,
                  r.startedBy,
                  r.trigger,
                  r.where,
                  r.dryRun ? 'yes' : 'no',
                  r.reason ? `${r.outcome}: ${r.reason}` : r.outcome,
                  describeResults(r),
                  r.changed.join(', ') || '-',
                ]),
              ),
        );
      },
    );
}

/** The runs recorded on AWS: the deployed stack's control table, read with the caller's credentials. */
async function awsRunbookAudit(options: EndpointOptions): Promise<RunbookAudit> {
  const stack = await resolveStack(options, undefined, 'use --local for runs on this host');
  const client = new DynamoDBClient({ region: stack.region, credentials: stack.credentials });
  return new DynamoDbRunbookAudit(DynamoDBDocumentClient.from(client), stack.output(STACK_OUTPUTS.table));
}

/** Each target with its result, e.g. `i-1 Success changed, i-2 Failed`. */
function describeResults(run: RunbookRunRecord): string {
  if (run.results.length === 0) return run.targets.join(', ') || '-';
  return run.results.map((r) => [r.target, r.status, r.outcome].filter(Boolean).join(' ')).join(', ');
}

function describeTargets(runbook: Runbook): string {
  const targets = runbook.targets;
  if (targets.kind === 'ecs') return `hosts of ECS service ${targets.cluster}/${targets.service}`;
  return `instances tagged ${Object.entries(targets.tags)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ')}`;
}

function describeSchedule(runbook: Runbook): string {
  const schedule = runbook.schedule;
  return schedule
    ? `${schedule.expression} ${schedule.timezone} (not after ${schedule.notAfter})`
    : 'manual only';
}

function describeRun(record: RunbookRunRecord): string {
  return [
    `${record.runbook}: ${record.outcome}${record.dryRun ? ' (dry run)' : ''}`,
    ...record.results.map((r) => `${r.target}: ${r.status}${r.outcome ? `, ${r.outcome}` : ''}`),
    ...record.results.map((r) => JSON.stringify(r.result)),
  ].join('\n');
}

function table(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c]!.length)));
  return [columns, ...rows]
    .map((cells) =>
      cells
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
