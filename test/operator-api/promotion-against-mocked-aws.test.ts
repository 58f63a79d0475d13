import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { executionNameOf } from '../../domain/plan/execution-name';
import { parsePlanText } from '../../domain/plan/parse';
import { promotionDigest } from '../../domain/promotion/promotion-digest';
import { AwsBackend } from '../../operator-api/aws-backend';
import { OPERATOR_ENV } from '../../operator-api/environment';
import { startLocalOperatorServer, type LocalOperatorServer } from '../../operator-api/local-server';
import { OperatorService } from '../../operator-api/operator-service';
import { promotionGateFrom } from '../../operator-api/promotion-from-environment';
import { captureIo } from '../support/capture-io';
import { EXAMPLES_DIR } from '../support/plans';

const PLAN_FILE = join(EXAMPLES_DIR, 'app-postgres-logical.yaml');
const plan = parsePlanText(readFileSync(PLAN_FILE, 'utf8')).plan;
const DIGEST = promotionDigest(plan);
const NAME = executionNameOf(plan);
const MACHINE = 'arn:aws:states:eu-west-1:333333333333:stateMachine:CutoverWorkflow';
const ARN = `arn:aws:states:eu-west-1:333333333333:execution:CutoverWorkflow:${NAME}`;
const OPERATOR = 'arn:aws:sts::333333333333:assumed-role/ops/alice';
/** staging's orchestrator, in its own account: its control table and the role prod may assume there. */
const STAGING_TABLE = 'CutoverOrchestrator-ControlTable-1A2B3C';
const STAGING = {
  [OPERATOR_ENV.promotionTableArn]: `arn:aws:dynamodb:eu-central-1:222222222222:table/${STAGING_TABLE}`,
  [OPERATOR_ENV.promotionRoleArn]: 'arn:aws:iam::222222222222:role/CutoverOrchestrator-PromotionReader',
};
const STAGING_RUN = 'arn:aws:states:eu-central-1:222222222222:execution:CutoverWorkflow:orders-to-rds-1';

const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const sts = mockClient(STSClient);
const servers: Record<'prod' | 'dev' | 'none', LocalOperatorServer | undefined> = {
  prod: undefined,
  dev: undefined,
  none: undefined,
};

async function serve(variables: NodeJS.ProcessEnv): Promise<LocalOperatorServer> {
  const backend = new AwsBackend({
    sfn: new SFNClient({ region: 'eu-west-1' }),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
    stateMachineArn: MACHINE,
    tableName: 'prod-control',
  });
  const promotion = promotionGateFrom(variables, new STSClient({ region: 'eu-west-1' }));
  return startLocalOperatorServer({
    service: new OperatorService({ backend, ...(promotion ? { promotion } : {}) }),
    principal: OPERATOR,
  });
}

beforeAll(async () => {
  const environments = { [OPERATOR_ENV.environments]: 'dev,staging,prod' };
  servers.prod = await serve({ ...environments, [OPERATOR_ENV.environment]: 'prod', ...STAGING });
  servers.dev = await serve({ ...environments, [OPERATOR_ENV.environment]: 'dev' });
  servers.none = await serve({});
});
afterAll(() => Promise.all(Object.values(servers).map((server) => server?.close())));
beforeEach(() => {
  sfn.reset();
  dynamo.reset();
  sts.reset();
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: ARN, startDate: new Date() });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIASTAGINGREADER',
      SecretAccessKey: 'secret',
      SessionToken: 'session',
      Expiration: new Date(Date.now() + 900_000),
    },
  });
});

/** staging's record of this plan (by digest), as its record-outcome step wrote it. */
function stagingRan(outcome: string) {
  dynamo.on(QueryCommand, { TableName: STAGING_TABLE }).resolves({
    Items: [
      {
        pk: `PROMOTION#${DIGEST}`,
        sk: `${STAGING_RUN}#${outcome}`,
        plan: 'orders-to-rds',
        execution: STAGING_RUN,
        outcome,
        at: '2026-11-29T10:00:00.000Z',
      },
    ],
  });
}

async function start(on: keyof typeof servers, ...args: string[]) {
  const io = captureIo();
  const code = await main(['start', PLAN_FILE, ...args, '--endpoint', servers[on]!.url], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('cutover start in prod, above staging (another account)', () => {
  it('refuses a plan that has not completed in staging, naming --force (exit 4)', async () => {
    const result = await start('prod');
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `error: plan ${DIGEST} has not completed in staging, the environment below prod: it has not run there; run it in staging first, or pass --force <reason>\n`,
    );
    // (The mock answers before the client resolves credentials: the assumed role is tested with the adapter.)
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: STAGING_TABLE,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeValues: { ':pk': `PROMOTION#${DIGEST}` },
    });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('refuses a plan that rolled back in staging, and says so', async () => {
    stagingRan('rolled_back');
    const result = await start('prod');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      `it ran there 1 time(s) without completing (${STAGING_RUN}: rolled_back)`,
    );
  });

  it('starts a plan that completed in staging, and says which run it follows', async () => {
    stagingRan('completed');
    const result = await start('prod', '--environment', 'prod');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`promotion: plan ${DIGEST} completed in staging as ${STAGING_RUN}`);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: NAME });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('--force <reason> starts it and records who forced it and why in the decision log', async () => {
    const result = await start('prod', '--force', 'hotfix for the 5xx incident INC-4711', '-o', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      execution: NAME,
      existing: false,
      promotion: expect.stringContaining(`forced by ${OPERATOR} (hotfix for the 5xx incident INC-4711)`),
    });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'prod-control',
      Item: expect.objectContaining({
        pk: `EXEC#${ARN}`,
        principal: OPERATOR,
        action: 'force-promotion',
        reason: 'hotfix for the 5xx incident INC-4711',
        result: `started in prod although plan ${DIGEST} has not completed in staging`,
      }),
    });
  });

  it.each([
    [['--force', 'asap'], '--force: the reason "asap" is too short'],
    [['--environment', 'staging'], '--environment: staging, but this orchestrator runs the cutovers of prod'],
  ])('refuses %j as bad input (exit 2, one line)', async (args, message) => {
    const result = await start('prod', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`^error: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\n]*\n$`),
    );
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});

describe('cutover start elsewhere', () => {
  it('in dev, the lowest environment: starts without reading any history', async () => {
    const result = await start('dev');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('promotion: plan sha256:');
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it.each([
    ['--environment', 'prod', '--environment: this orchestrator serves no environment'],
    ['--force', 'because it is urgent', '--force: nothing to override'],
  ])('on an orchestrator with no environment: %s is refused (exit 2)', async (option, value, message) => {
    const result = await start('none', option, value);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});
