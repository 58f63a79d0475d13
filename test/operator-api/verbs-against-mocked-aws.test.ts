import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { executionNameOf } from '../../domain/plan/execution-name';
import { parsePlanText } from '../../domain/plan/parse';
import { AwsBackend } from '../../operator-api/aws-backend';
import { startLocalOperatorServer, type LocalOperatorServer } from '../../operator-api/local-server';
import { OperatorService } from '../../operator-api/operator-service';
import { captureIo } from '../support/capture-io';
import { EXAMPLES_DIR } from '../support/plans';

const PLAN_FILE = join(EXAMPLES_DIR, 'app-postgres-logical.yaml');
const plan = parsePlanText(readFileSync(PLAN_FILE, 'utf8')).plan;
const NAME = executionNameOf(plan);
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:CutoverWorkflow';
const ARN = `arn:aws:states:eu-west-1:123456789012:execution:CutoverWorkflow:${NAME}`;
const OPERATOR = 'arn:aws:sts::123456789012:assumed-role/ops/alice';
const STARTED = new Date('2026-11-30T01:00:00Z');

const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);
let server: LocalOperatorServer;

beforeAll(async () => {
  const backend = new AwsBackend({
    sfn: new SFNClient({ region: 'eu-west-1' }),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
    stateMachineArn: MACHINE,
    tableName: 'cutover-control',
  });
  server = await startLocalOperatorServer({ service: new OperatorService({ backend }), principal: OPERATOR });
});
afterAll(() => server.close());
beforeEach(() => {
  sfn.reset();
  dynamo.reset();
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(DescribeExecutionCommand).resolves({
    executionArn: ARN,
    stateMachineArn: MACHINE,
    name: NAME,
    status: 'RUNNING',
    startDate: STARTED,
    input: JSON.stringify({ plan }),
  });
  sfn.on(GetExecutionHistoryCommand).resolves({
    events: [
      { id: 1, type: 'ExecutionStarted', timestamp: STARTED },
      entered(2, 'ValidatePlan', {}),
      entered(3, 'SetWeights', {
        current: { step: { index: 1, greenPercent: 10 } },
        context: { stepCount: 4 },
      }),
    ],
  });
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
});

function entered(id: number, name: string, input: object) {
  return {
    id,
    type: 'TaskStateEntered' as const,
    timestamp: new Date(STARTED.getTime() + id * 1000),
    stateEnteredEventDetails: { name, input: JSON.stringify(input) },
  };
}

function pending(kind: string) {
  dynamo.on(GetCommand).resolves({
    Item: {
      pk: `EXEC#${ARN}`,
      sk: 'CONTROL',
      pending: {
        kind,
        taskToken: 'secret-task-token',
        since: '2026-11-30T01:05:00Z',
        detail: { reason: 'why' },
      },
    },
  });
}

async function cli(...args: string[]) {
  const io = captureIo();
  const code = await main([...args, '--endpoint', server.url], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('the operator verbs against mocked Step Functions and DynamoDB', () => {
  it('start: starts the plan under its deterministic name with the plan as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: ARN, startDate: STARTED });
    const result = await cli('start', PLAN_FILE, '-o', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ execution: NAME, executionArn: ARN, existing: false });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: MACHINE, name: NAME });
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!) as {
      plan: unknown;
    };
    expect(input.plan).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  it('start again: reports the running execution without starting another', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: ARN, stateMachineArn: MACHINE, name: NAME, status: 'RUNNING', startDate: STARTED },
      ],
    });
    const result = await cli('start', PLAN_FILE);
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`already started: ${NAME} (running)`),
    });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('start of a changed plan while another version runs: refused with what to do (exit 4)', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          executionArn: 'x',
          stateMachineArn: MACHINE,
          name: 'orders-to-rds-0123456789abcdef',
          status: 'RUNNING',
          startDate: STARTED,
        },
      ],
    });
    const result = await cli('start', PLAN_FILE);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      'another version of plan orders-to-rds is running as orders-to-rds-0123456789abcdef',
    );
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('start of a plan that already ran: reports that execution (names are unique)', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: ARN, stateMachineArn: MACHINE, status: 'SUCCEEDED', startDate: STARTED });
    const result = await cli('start', PLAN_FILE, '-o', 'json');
    expect(JSON.parse(result.stdout)).toMatchObject({ execution: NAME, status: 'SUCCEEDED', existing: true });
  });

  it('list, status and history read Step Functions and the control table', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: ARN, stateMachineArn: MACHINE, name: NAME, status: 'RUNNING', startDate: STARTED },
      ],
    });
    pending('approval');
    expect((await cli('list')).stdout).toMatch(new RegExp(`^${NAME} +orders-to-rds +running`));
    const status = JSON.parse((await cli('status', ARN, '-o', 'json')).stdout);
    expect(status).toMatchObject({
      phase: 'shift-1',
      step: { index: 1, count: 4, greenPercent: 10 },
      weights: { blue: 90, green: 10 },
      pending: { kind: 'approval', answers: ['approve', 'refuse'], deadline: '2026-11-30T02:05:00.000Z' },
    });
    expect(JSON.stringify(status)).not.toContain('secret-task-token');
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: ARN });
    expect((await cli('history', NAME)).stdout).toContain('validate');
  });

  it('approve: answers the wait with SendTaskSuccess and writes the decision with the principal', async () => {
    pending('approval');
    sfn.on(SendTaskSuccessCommand).resolves({});
    const result = await cli('approve', NAME, '--reason', 'window open');
    expect(result).toMatchObject({ code: 0, stdout: `approve: answered approval (by ${OPERATOR})\n` });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'secret-task-token' });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        pk: `EXEC#${ARN}`,
        principal: OPERATOR,
        action: 'approve',
        reason: 'window open',
      }),
    });
  });

  it.each([
    ['refuse', 'approval'],
    ['continue', 'decision'],
    ['roll-forward', 'operator'],
    ['restore', 'operator'],
  ] as const)('%s: answers a pending %s', async (answer, kind) => {
    pending(kind);
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    expect((await cli(answer, NAME, '--reason', 'because')).code).toBe(0);
    if (answer === 'refuse') {
      expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'secret-task-token' });
    } else {
      expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'secret-task-token' });
    }
  });

  it('approve with nothing waiting for approval: exit 4 and says so', async () => {
    pending('decision');
    const result = await cli('approve', NAME, '--reason', 'x');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      `execution ${NAME} is not waiting for approval (it waits for decision): nothing to approve`,
    );
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('rollback: records the request and fails the pending wait with OperatorRollback (never StopExecution)', async () => {
    pending('bake');
    dynamo.on(UpdateCommand).resolves({
      Attributes: { pending: { kind: 'bake', taskToken: 'secret-task-token', since: 'x', detail: {} } },
    });
    sfn.on(SendTaskFailureCommand).resolves({});
    const result = await cli('rollback', NAME, '--reason', '5xx spike', '-o', 'json');
    expect(JSON.parse(result.stdout)).toMatchObject({
      action: 'rollback',
      principal: OPERATOR,
      result: 'rolling back now',
    });
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: 'OperatorRollback' });
    expect(sfn.commandCalls(SendTaskFailureCommand)).toHaveLength(1);
  });

  it('note: appends a lessons-learned entry to a finished execution, shown by history', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: ARN,
      stateMachineArn: MACHINE,
      status: 'SUCCEEDED',
      startDate: STARTED,
      stopDate: new Date(STARTED.getTime() + 60_000),
      input: JSON.stringify({ plan }),
    });
    const result = await cli('note', NAME, 'warm', 'the', 'green', 'cache', 'first');
    expect(result).toMatchObject({ code: 0, stdout: `note: lessons learned (completed) (by ${OPERATOR})\n` });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        pk: `EXEC#${ARN}`,
        sk: expect.stringMatching(/^DECISION#/),
        principal: OPERATOR,
        action: 'note',
        reason: 'warm the green cache first',
      }),
      ConditionExpression: 'attribute_not_exists(#pk)',
    });
    const written = dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    dynamo.on(QueryCommand).resolves({ Items: [written] });
    expect((await cli('history', NAME)).stdout).toContain(
      `note by ${OPERATOR}: warm the green cache first → lessons learned (completed)`,
    );
  });

  it('note on a running execution: exit 4, nothing written', async () => {
    const result = await cli('note', NAME, 'too', 'early');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      `execution ${NAME} is still running: note the lessons learned once it has ended`,
    );
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('note with blank text: exit 2 naming the field', async () => {
    const result = await cli('note', NAME, '  ');
    expect(result).toMatchObject({
      code: 2,
      stderr: 'error: text: must not be empty; write the lesson learned\n',
    });
  });

  it('status of an unknown execution: exit 3', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'nope', $metadata: {} }));
    const result = await cli('status', 'nope');
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'error: no execution nope of this orchestrator: list them with cutover list\n',
    );
  });

  it('watch: follows until the end; exit 1 when it rolled back', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: ARN,
      stateMachineArn: MACHINE,
      status: 'FAILED',
      error: 'CutoverRolledBack',
      cause: 'shift: HealthCheckFailed',
      startDate: STARTED,
      stopDate: new Date(STARTED.getTime() + 60_000),
      input: JSON.stringify({ plan }),
    });
    dynamo.on(GetCommand).resolves({});
    const result = await cli('watch', NAME, '--interval', '0.1');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('rolled_back');
  });
});
