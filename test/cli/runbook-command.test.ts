import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { captureIo } from '../support/capture-io';

/** A runbook folder with one runbook that cleans a temporary tree, and CUTOVER_HOME for its history. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'runbook-cli-'));
  const dir = join(root, 'runbooks');
  const logs = join(root, 'logs');
  mkdirSync(dir);
  mkdirSync(logs);
  const old = join(logs, 'old.log');
  writeFileSync(old, 'x'.repeat(42));
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  utimesSync(old, tenDaysAgo, tenDaysAgo);
  writeFileSync(
    join(dir, 'clean-logs.yaml'),
    [
      'name: clean-logs',
      'targets: { kind: instances, tags: { role: app } }',
      'schedule: { expression: rate(1 day), timezone: Europe/Paris }',
      'steps:',
      `  - { script: clean-tmp-and-logs, parameters: { directories: [${logs}], usedAbovePercent: 0 } }`,
    ].join('\n'),
  );
  process.env['CUTOVER_HOME'] = join(root, 'home');
  return { dir, old };
}

describe('cutover runbook', () => {
  const sfn = mockClient(SFNClient);
  const cloudFormation = mockClient(CloudFormationClient);
  const dynamodb = mockClient(DynamoDBDocumentClient);
  afterEach(() => {
    sfn.reset();
    cloudFormation.reset();
    dynamodb.reset();
  });

  it('lists the shipped runbooks as JSON', async () => {
    const io = captureIo();
    expect(await main(['runbook', 'list', '-o', 'json'], io)).toBe(0);
    const runbooks = JSON.parse(io.stdout) as Array<{ name: string; schedule?: { expression: string } }>;
    expect(runbooks.map((r) => r.name)).toEqual([
      'clean-tmp-and-logs',
      'free-disk-caches',
      'reap-zombies',
      'restart-unhealthy-service',
    ]);
  });

  it('shows a runbook with the exact command line of its step', async () => {
    const io = captureIo();
    expect(await main(['runbook', 'show', 'free-disk-caches'], io)).toBe(0);
    expect(io.stdout).toContain(
      'runs: free-disk-caches.py --dry-run false --level 1 --only-if-memory-available-below 15',
    );
  });

  it('runs --local --dry-run, changes nothing, and records the run in the history', async () => {
    const { dir, old } = workspace();
    const io = captureIo();
    expect(
      await main(['runbook', 'run', 'clean-logs', '--local', '--dry-run', '--dir', dir, '-o', 'json'], io),
    ).toBe(0);
    const record = JSON.parse(io.stdout) as { dryRun: boolean; results: Array<{ result: unknown }> };
    expect(record).toMatchObject({
      runbook: 'clean-logs',
      dryRun: true,
      where: 'local',
      trigger: 'manual',
      outcome: 'completed',
    });
    expect(record.results[0]!.result).toMatchObject({ wouldDelete: [old], wouldFreeBytes: 42 });
    expect(existsSync(old)).toBe(true);

    expect(await main(['runbook', 'run', 'clean-logs', '--local', '--dir', dir], captureIo())).toBe(0);
    expect(existsSync(old)).toBe(false);

    const history = captureIo();
    expect(
      await main(['runbook', 'history', 'clean-logs', '--local', '--dir', dir, '-o', 'json'], history),
    ).toBe(0);
    const runs = JSON.parse(history.stdout) as Array<{
      dryRun: boolean;
      changed: string[];
      startedBy: string;
    }>;
    expect(runs.map((r) => [r.dryRun, r.changed])).toEqual([
      [false, ['localhost']],
      [true, []],
    ]);
    expect(runs[0]!.startedBy).toMatch(/^cli:.+@.+$/);
  });

  it('starts the runbook’s workflow on AWS without --local', async () => {
    sfn.on(ListStateMachinesCommand).resolves({
      stateMachines: [
        {
          name: 'cutover-runbook-free-disk-caches',
          stateMachineArn:
            'arn:aws:states:eu-west-1:123456789012:stateMachine:cutover-runbook-free-disk-caches',
          type: 'STANDARD',
          creationDate: new Date(),
        },
      ],
    });
    sfn.on(StartExecutionCommand).resolves({
      executionArn:
        'arn:aws:states:eu-west-1:123456789012:execution:cutover-runbook-free-disk-caches:manual-1',
      startDate: new Date(),
    });
    const io = captureIo();
    expect(await main(['runbook', 'run', 'free-disk-caches', '--dry-run'], io)).toBe(0);
    expect(io.stdout).toContain('started arn:aws:states:eu-west-1:123456789012:execution:');
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!) as Record<
      string,
      unknown
    >;
    expect(input).toEqual({ startedBy: expect.stringMatching(/^cli:/), trigger: 'manual', dryRun: true });
  });

  describe('history of the runs on AWS', () => {
    const stack = (outputs: Array<{ OutputKey: string; OutputValue: string }>) =>
      cloudFormation.on(DescribeStacksCommand, { StackName: 'CutoverOrchestrator' }).resolves({
        Stacks: [
          {
            StackName: 'CutoverOrchestrator',
            StackId:
              'arn:aws:cloudformation:eu-west-1:123456789012:stack/CutoverOrchestrator/4a1b2c3d-0000-1111-2222-333344445555',
            CreationTime: new Date('2026-11-01T00:00:00Z'),
            StackStatus: 'UPDATE_COMPLETE',
            Outputs: outputs,
          },
        ],
      });
    /** A run's key and common attributes, as the document client returns a Query's items. */
    const key = (startedAt: string) => ({
      pk: 'RUNBOOK#reap-zombies',
      sk: `RUN#${startedAt}#run-${startedAt}`,
      runbook: 'reap-zombies',
      runId: `run-${startedAt}`,
      where: 'aws',
      dryRun: false,
      startedAt,
      finishedAt: startedAt.replace(':00Z', ':40Z'),
    });
    const result = (target: string, status: string, outcome: string, summary?: string) => ({
      target,
      status,
      outcome,
      ...(summary ? { summary } : {}),
    });
    const argv = ['runbook', 'history', 'reap-zombies', '--region', 'eu-west-1'];

    beforeEach(() => {
      stack([
        { OutputKey: 'ControlTableName', OutputValue: 'CutoverOrchestrator-ControlTable-1A2B3C' },
        { OutputKey: 'OperatorApiUrl', OutputValue: 'https://abc123.execute-api.eu-west-1.amazonaws.com' },
      ]);
      dynamodb.on(QueryCommand).resolves({
        Count: 2,
        ScannedCount: 2,
        Items: [
          {
            ...key('2026-11-29T03:00:00Z'),
            startedBy: 'schedule:cutover-runbook-reap-zombies',
            trigger: 'schedule',
            scheduledTime: '2026-11-29T03:00:00Z',
            outcome: 'completed',
            targets: ['i-0a1', 'i-0b2'],
            results: [
              result('i-0a1', 'Success', 'changed', 'reaped 3 zombies'),
              result('i-0b2', 'Success', 'unchanged', 'no zombies'),
            ],
            changed: ['i-0a1'],
          },
          {
            ...key('2026-11-28T14:00:00Z'),
            startedBy: 'cli:ana@laptop',
            trigger: 'manual',
            outcome: 'canary-failed',
            reason: 'the canary i-0a1 failed',
            targets: ['i-0a1', 'i-0b2'],
            results: [result('i-0a1', 'Failed', 'failed')],
            changed: [],
          },
        ],
      });
    });

    it('reads the runs from the stack’s control table, newest first, as JSON', async () => {
      const io = captureIo();
      expect(await main([...argv, '-o', 'json'], io)).toBe(0);
      expect(dynamodb).toHaveReceivedCommandWith(QueryCommand, {
        TableName: 'CutoverOrchestrator-ControlTable-1A2B3C',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': 'RUNBOOK#reap-zombies', ':run': 'RUN#' },
        ScanIndexForward: false,
        Limit: 20,
      });
      const runs = JSON.parse(io.stdout) as Array<Record<string, unknown>>;
      expect(runs.map((r) => [r['startedAt'], r['startedBy'], r['outcome'], r['changed']])).toEqual([
        ['2026-11-29T03:00:00Z', 'schedule:cutover-runbook-reap-zombies', 'completed', ['i-0a1']],
        ['2026-11-28T14:00:00Z', 'cli:ana@laptop', 'canary-failed', []],
      ]);
      expect(runs[0]).not.toHaveProperty('pk');
      expect(runs[0]!['results']).toEqual([
        { target: 'i-0a1', status: 'Success', outcome: 'changed', summary: 'reaped 3 zombies' },
        { target: 'i-0b2', status: 'Success', outcome: 'unchanged', summary: 'no zombies' },
      ]);
    });

    it('prints who started each run, its targets with their results, and what changed', async () => {
      const io = captureIo();
      expect(await main([...argv, '--limit', '5'], io)).toBe(0);
      expect(dynamodb).toHaveReceivedCommandWith(QueryCommand, { Limit: 5 });
      const [header, newest, older] = io.stdout.trimEnd().split('\n');
      expect(header).toMatch(/^Started\s+By\s+Trigger\s+Where\s+Dry run\s+Outcome\s+Targets\s+Changed$/);
      expect(newest).toMatch(
        /^2026-11-29T03:00:00Z\s+schedule:cutover-runbook-reap-zombies\s+schedule\s+aws\s+no\s+completed\s+i-0a1 Success changed, i-0b2 Success unchanged\s+i-0a1$/,
      );
      expect(older).toMatch(
        /^2026-11-28T14:00:00Z\s+cli:ana@laptop\s+manual\s+aws\s+no\s+canary-failed: the canary i-0a1 failed\s+i-0a1 Failed failed\s+-$/,
      );
    });

    it('says to deploy when the stack is not there, in one line, exit 5', async () => {
      cloudFormation.on(DescribeStacksCommand).rejects(
        Object.assign(new Error('Stack with id CutoverOrchestrator does not exist'), {
          name: 'ValidationError',
        }),
      );
      const io = captureIo();
      expect(await main(argv, io)).toBe(5);
      expect(io.stderr).toBe(
        'error: stack CutoverOrchestrator is not deployed in eu-west-1: deploy it with npx cdk deploy CutoverOrchestrator, or pass --stack/--region (or use --local for runs on this host)\n',
      );
      expect(dynamodb.calls()).toHaveLength(0);
    });

    it('says to sign in when there are no credentials, and to redeploy when the stack lacks the table output', async () => {
      cloudFormation.on(DescribeStacksCommand).rejects(
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
      );
      const noCredentials = captureIo();
      expect(await main(argv, noCredentials)).toBe(5);
      expect(noCredentials.stderr).toMatch(
        /^error: no usable AWS credentials .*: sign in \(aws sso login, AWS_PROFILE\)[^\n]*\n$/,
      );

      cloudFormation.reset();
      stack([
        { OutputKey: 'OperatorApiUrl', OutputValue: 'https://abc123.execute-api.eu-west-1.amazonaws.com' },
      ]);
      const oldStack = captureIo();
      expect(await main(argv, oldStack)).toBe(5);
      expect(oldStack.stderr).toBe(
        'error: stack CutoverOrchestrator has no ControlTableName output: deploy this version with npx cdk deploy CutoverOrchestrator\n',
      );
    });

    it('says which policy to attach when the table refuses the read', async () => {
      dynamodb.on(QueryCommand).rejects(
        Object.assign(
          new Error(
            'User: arn:aws:sts::123456789012:assumed-role/dev/ana is not authorized to perform: dynamodb:Query',
          ),
          {
            name: 'AccessDeniedException',
          },
        ),
      );
      const io = captureIo();
      expect(await main(argv, io)).toBe(5);
      expect(io.stderr).toMatch(
        /^error: cannot read the runs in stack CutoverOrchestrator's control table \(AccessDeniedException\): attach the stack's OperatorPolicy[^\n]*--local[^\n]*\n$/,
      );
    });
  });

  it('refuses an invalid runbook with the file and field, exit 2', async () => {
    const { dir } = workspace();
    writeFileSync(
      join(dir, 'bad.yaml'),
      'name: bad\ntargets: { kind: instances, tags: { role: app } }\nsteps: [{ script: free-disk-caches, parameters: { level: 2 } }]\n',
    );
    const io = captureIo();
    expect(await main(['runbook', 'show', 'bad', '--dir', dir], io)).toBe(2);
    expect(io.stderr).toBe(
      'bad.yaml: steps[0].parameters.level: expected 1 (page cache) or 3 (also dentries and inodes) (got 2)\n',
    );
  });
});
