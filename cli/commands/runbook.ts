import { SFNClient } from '@aws-sdk/client-sfn';
import { Option, type Command } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FileRunbookAudit } from '../../adapters/local/file-runbook-audit';
import { stepArguments } from '../../domain/runbook/invocation';
import type { Runbook } from '../../domain/runbook/schema';
import { localActor, runRunbookLocally } from '../../local/runbook/run-locally';
import { startRunbookExecution } from '../../operations/start-runbook';
import type { RunbookRunRecord } from '../../ports/runbook-audit';
import { loadRunbook, loadRunbooks, RUNBOOKS_DIR } from '../../runbooks/catalog';
import { ExitCode, type CliIo } from '../io';

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
    .description('who or what ran a runbook, on which targets, and what changed (runs on this host)')
    .argument('<name>')
    .option('--limit <count>', 'most recent runs shown', (value) => Number.parseInt(value, 10), 20)
    .addOption(output())
    .addOption(directory())
    .action(async (name: string, options: { limit: number; output: Output; dir: string }) => {
      loadRunbook(name, options.dir);
      const runs = await new FileRunbookAudit(localAuditFile()).history(name, options.limit);
      print(options.output, runs, () =>
        runs.length === 0
          ? `no recorded runs of ${name}`
          : table(
              ['Started', 'By', 'Where', 'Dry run', 'Outcome', 'Targets', 'Changed'],
              runs.map((r) => [
                r.startedAt,
                r.startedBy,
                r.where,
                r.dryRun ? 'yes' : 'no',
                r.outcome,
                String(r.targets.length),
                r.changed.join(', ') || '-',
              ]),
            ),
      );
    });
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
