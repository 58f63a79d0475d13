import { ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeInstanceInformationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsTargetResolver } from '../../adapters/aws/aws-target-resolver';
import { SsmCommandRunner } from '../../adapters/aws/ssm-command-runner';
import { FileRunbookAudit } from '../../adapters/local/file-runbook-audit';
import { MemoryJournal } from '../../adapters/local/memory-journal';
import { validateRunbook } from '../../domain/runbook/validate';
import { startLocalRunbookExecution } from '../../local/runbook/run-workflow';
import { synthesizeWorkflowDefinition } from '../../local/workflow-definition';
import type { RunbookExecutionInput } from '../../operations/start-runbook';

const RUNBOOK = validateRunbook({
  name: 'free-disk-caches',
  targets: { kind: 'instances', tags: { role: 'app' } },
  schedule: { expression: 'rate(1 hour)', timezone: 'UTC', notAfter: '15m' },
  steps: [{ script: 'free-disk-caches', parameters: { level: 1 } }],
  rateControl: { maxConcurrency: 2, maxErrors: 1 },
  timeout: '1m',
});
const WORKFLOW = synthesizeWorkflowDefinition(
  {
    allowedZones: [{ hostedZoneId: 'Z0EXAMPLE', recordNames: ['app.example.com'] }],
    databaseSecretArns: [],
    deployStacks: [],
  },
  { runbooks: [RUNBOOK], stateMachineName: 'cutover-runbook-free-disk-caches' },
);
const INSTANCES = [
  'i-0000000000000000a',
  'i-0000000000000000b',
  'i-0000000000000000c',
  'i-0000000000000000d',
  'i-0000000000000000e',
];

const ssm = mockClient(SSMClient);

/**
 * SSM at the SDK boundary: DescribeInstanceInformation lists `online`; each SendCommand is a command
 * whose invocations are InProgress at the first listing, then end as `outcome(instance)` says, with the
 * script's JSON result as the step's output.
 */
function fakeFleet(online: string[], outcome: (instance: string) => 'Success' | 'Failed' = () => 'Success') {
  const commands = new Map<string, { instances: string[]; listed: number }>();
  ssm.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: online.map((InstanceId) => ({
      InstanceId,
      PingStatus: 'Online',
      PlatformType: 'Linux',
      PlatformName: 'Amazon Linux',
      ResourceType: 'EC2Instance',
    })),
  });
  ssm.on(SendCommandCommand).callsFake(async (input: { DocumentName: string; InstanceIds: string[] }) => {
    const CommandId = randomUUID();
    commands.set(CommandId, { instances: input.InstanceIds, listed: 0 });
    return {
      Command: {
        CommandId,
        DocumentName: input.DocumentName,
        InstanceIds: input.InstanceIds,
        Status: 'Pending',
      },
    };
  });
  ssm.on(ListCommandInvocationsCommand).callsFake(async (input: { CommandId: string }) => {
    const command = commands.get(input.CommandId)!;
    command.listed += 1;
    return {
      CommandInvocations: command.instances.map((InstanceId) => {
        const Status = command.listed === 1 ? 'InProgress' : outcome(InstanceId);
        const result = {
          runbook: 'free-disk-caches',
          dryRun: false,
          status: Status === 'Success' ? 'changed' : 'failed',
          wrote: { value: '1\n' },
          freedKiB: 2048,
        };
        return {
          CommandId: input.CommandId,
          InstanceId,
          DocumentName: 'cutover-runbook-free-disk-caches',
          Status,
          StatusDetails: Status,
          CommandPlugins: [
            {
              Name: 'step1',
              Status,
              ResponseCode: Status === 'Success' ? 0 : 1,
              Output: `${JSON.stringify(result)}\n`,
            },
          ],
        };
      }),
    };
  });
}

function sentBatches(): string[][] {
  return ssm.commandCalls(SendCommandCommand).map((call) => call.args[0].input.InstanceIds!);
}

async function run(input: RunbookExecutionInput, executionName = `run-${randomUUID()}`) {
  const home = mkdtempSync(join(tmpdir(), 'runbook-audit-'));
  const audit = new FileRunbookAudit(join(home, 'history.jsonl'));
  const journal = new MemoryJournal();
  const ports = {
    targets: new AwsTargetResolver(
      new SSMClient({ region: 'eu-west-1' }),
      new ECSClient({ region: 'eu-west-1' }),
    ),
    commands: new SsmCommandRunner(new SSMClient({ region: 'eu-west-1' })),
    audit,
    notifier: journal,
    now: () => new Date(),
  };
  const result = await startLocalRunbookExecution({ workflow: WORKFLOW, ports, input, executionName }).result;
  const [record] = await audit.history('free-disk-caches', 1);
  return { result, record: record!, journal, audit, ports };
}

const MANUAL: RunbookExecutionInput = { startedBy: 'cli:ops@laptop', trigger: 'manual' };

describe('runbook workflow (synthesized ASL on the local engine, SSM faked at the SDK boundary)', () => {
  beforeEach(() => ssm.reset());

  it('runs the canary alone, then batches of maxConcurrency, polls until done, and records who, where and what changed', async () => {
    fakeFleet(INSTANCES);
    const { result, record, journal } = await run(MANUAL);

    expect(result.status).toBe('SUCCEEDED');
    expect(sentBatches()).toEqual([
      [INSTANCES[0]],
      [INSTANCES[1], INSTANCES[2]],
      [INSTANCES[3], INSTANCES[4]],
    ]);
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, {
      DocumentName: 'cutover-runbook-free-disk-caches',
      Parameters: { dryRun: ['false'] },
    });
    expect(ssm).toHaveReceivedCommandWith(DescribeInstanceInformationCommand, {
      Filters: expect.arrayContaining([
        { Key: 'tag:role', Values: ['app'] },
        { Key: 'tag:cutover-runbooks', Values: ['enabled'] },
      ]),
    });
    expect(result.states.filter((s) => s === 'WaitForBatch')).toHaveLength(6); // two polls per batch
    expect(record).toMatchObject({
      startedBy: 'cli:ops@laptop',
      trigger: 'manual',
      where: 'aws',
      outcome: 'completed',
      targets: INSTANCES,
      changed: INSTANCES,
    });
    expect(record.results[0]).toEqual({
      target: INSTANCES[0],
      status: 'Success',
      outcome: 'changed',
      summary: 'wrote 1 to drop_caches, 2048 KiB freed',
    });
    expect(journal.events.map((e) => e.outcome)).toEqual(['completed']);
  });

  it('fails with NoTargets when no instance matches, and records it', async () => {
    fakeFleet([]);
    const { result, record } = await run(MANUAL);

    expect(result).toMatchObject({ status: 'FAILED', error: 'NoTargets' });
    expect(ssm).not.toHaveReceivedCommand(SendCommandCommand);
    expect(record).toMatchObject({ outcome: 'no-targets', targets: [] });
  });

  it('stops everything when the canary fails', async () => {
    fakeFleet(INSTANCES, (instance) => (instance === INSTANCES[0] ? 'Failed' : 'Success'));
    const { result, record, journal } = await run(MANUAL);

    expect(result).toMatchObject({ status: 'FAILED', error: 'CanaryFailed' });
    expect(sentBatches()).toEqual([[INSTANCES[0]]]);
    expect(record).toMatchObject({
      outcome: 'canary-failed',
      results: [{ target: INSTANCES[0], status: 'Failed' }],
    });
    expect(journal.events.map((e) => e.outcome)).toEqual(['failed']);
  });

  it('stops sending once more targets failed than maxErrors allows', async () => {
    fakeFleet(INSTANCES, (instance) =>
      [INSTANCES[1], INSTANCES[2]].includes(instance) ? 'Failed' : 'Success',
    );
    const { result, record } = await run(MANUAL);

    expect(result).toMatchObject({ status: 'FAILED', error: 'MaxErrorsExceeded' });
    expect(sentBatches()).toEqual([[INSTANCES[0]], [INSTANCES[1], INSTANCES[2]]]);
    expect(record.outcome).toBe('max-errors');
    expect(record.changed).toEqual([INSTANCES[0]]);
  });

  it('skips a scheduled run that starts later than notAfter, and reports it', async () => {
    fakeFleet(INSTANCES);
    const scheduledTime = new Date(Date.now() - 2 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const { result, record, journal } = await run({
      startedBy: 'schedule:cutover-runbook-free-disk-caches',
      trigger: 'schedule',
      scheduledTime,
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: { outcome: 'skipped-late' } });
    expect(ssm).not.toHaveReceivedCommand(DescribeInstanceInformationCommand);
    expect(ssm).not.toHaveReceivedCommand(SendCommandCommand);
    expect(record).toMatchObject({
      outcome: 'skipped-late',
      trigger: 'schedule',
      scheduledTime,
      reason: expect.stringMatching(/^scheduled for .* started 7\d{3} s late \(notAfter 15m\)$/),
    });
    expect(journal.events).toEqual([
      expect.objectContaining({ outcome: 'failed', message: expect.stringContaining('skipped-late') }),
    ]);
  });

  it('runs a scheduled time once: a retried or duplicated start is recorded as a duplicate and sends nothing', async () => {
    fakeFleet(INSTANCES);
    const scheduledTime = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const input: RunbookExecutionInput = {
      startedBy: 'schedule:cutover-runbook-free-disk-caches',
      trigger: 'schedule',
      scheduledTime,
    };
    const { ports } = await run(input);
    const sent = sentBatches().length;
    const second = await startLocalRunbookExecution({
      workflow: WORKFLOW,
      ports,
      input,
      executionName: 'retry',
    }).result;

    expect(sent).toBe(3);
    expect(second.status).toBe('SUCCEEDED');
    expect(second.output).toMatchObject({ outcome: { outcome: 'duplicate' } });
    expect(sentBatches()).toHaveLength(3);
  });

  it('passes a dry run to every target through the document’s dryRun parameter', async () => {
    fakeFleet(INSTANCES.slice(0, 1));
    const { result, record } = await run({ ...MANUAL, dryRun: true });

    expect(result.status).toBe('SUCCEEDED');
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, { Parameters: { dryRun: ['true'] } });
    expect(record.dryRun).toBe(true);
  });
});
