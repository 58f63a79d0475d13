import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import cdkJson from '../../cdk.json';
import { CutoverChecks } from '../../lib/nag/cutover-checks';
import { readOrchestratorConfig } from '../../lib/orchestrator-config';
import { OrchestratorStack } from '../../lib/orchestrator-stack';
import { ENVIRONMENTS_CONTEXT } from '../../lib/platform/environments';
import { STACK_OUTPUTS } from '../../lib/stack-outputs';
import { OPERATOR_ENV } from '../../operator-api/environment';

const zones = [{ hostedZoneId: 'Z0EXAMPLEPUBLIC', recordNames: ['app.example.com'] }];
const DEV_TABLE = 'arn:aws:dynamodb:eu-west-1:111111111111:table/CutoverOrchestrator-ControlTable-DEV';
const DEV_READER = 'arn:aws:iam::111111111111:role/CutoverOrchestrator-PromotionReader-DEV';

function configOf(context: Record<string, unknown>) {
  return readOrchestratorConfig(
    new App({
      context: {
        'cutover:allowedRecords': zones,
        [ENVIRONMENTS_CONTEXT]: cdkJson.context[ENVIRONMENTS_CONTEXT],
        ...context,
      },
    }).node,
  );
}

describe('promotion configuration (cdk.json context)', () => {
  it('reads staging: the order, and where dev records its outcomes', () => {
    const config = configOf({
      'cutover:environment': 'staging',
      'cutover:promotionSource': { tableArn: DEV_TABLE, roleArn: DEV_READER },
      'cutover:promotionReaders': ['333333333333'],
    });
    expect(config.promotion).toEqual({
      environments: ['dev', 'staging', 'prod'],
      environment: 'staging',
      source: { tableArn: DEV_TABLE, roleArn: DEV_READER },
    });
    expect(config.promotionReaders).toEqual(['333333333333']);
  });

  it('reads dev, the lowest, with nothing to read below; no environment means no order', () => {
    expect(configOf({ 'cutover:environment': 'dev' }).promotion).toEqual({
      environments: ['dev', 'staging', 'prod'],
      environment: 'dev',
    });
    expect(configOf({}).promotion).toBeUndefined();
  });

  it.each([
    [
      { 'cutover:environment': 'qa' },
      'cdk.json context "cutover:environment": "qa" is not one of "cutover:environments" (dev, staging, prod)',
    ],
    [
      { 'cutover:environment': 'prod' },
      'cdk.json context "cutover:promotionSource": required for prod as { "tableArn": "arn:aws:dynamodb:<region>:<account>:table/<name>", "roleArn": "arn:aws:iam::<account>:role/<name>" }, the ControlTableArn and PromotionReaderRoleArn outputs of staging\'s orchestrator; got undefined',
    ],
    [
      {
        'cutover:environment': 'prod',
        'cutover:promotionSource': { tableArn: 'my-table', roleArn: DEV_READER },
      },
      'cdk.json context "cutover:promotionSource": required for prod as',
    ],
    [
      {
        'cutover:environment': 'dev',
        'cutover:promotionSource': { tableArn: DEV_TABLE, roleArn: DEV_READER },
      },
      'cdk.json context "cutover:promotionSource": dev is the lowest environment, with nothing below it to read; remove it',
    ],
    [
      { 'cutover:promotionSource': { tableArn: DEV_TABLE, roleArn: DEV_READER } },
      'cdk.json context "cutover:promotionSource": set only with "cutover:environment"',
    ],
    [
      { 'cutover:promotionReaders': ['prod'] },
      'cdk.json context "cutover:promotionReaders": expected a list of 12-digit account ids or IAM role ARNs, got ["prod"]',
    ],
  ])('fails on %j', (context, message) => {
    expect(() => configOf(context)).toThrow(message);
  });
});

describe('the staging orchestrator: reads dev, is read by prod', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new OrchestratorStack(app, 'CutoverOrchestrator', {
    config: configOf({
      'cutover:environment': 'staging',
      'cutover:promotionSource': { tableArn: DEV_TABLE, roleArn: DEV_READER },
      'cutover:promotionReaders': ['333333333333'],
    }),
    runbooks: [],
  });
  const template = Template.fromStack(stack);
  const roles = template.findResources('AWS::IAM::Role');
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const statementsOf = (roleId: string) =>
    policies
      .filter((policy) => JSON.stringify(policy['Properties'].Roles).includes(roleId))
      .flatMap(
        (policy) =>
          policy['Properties'].PolicyDocument.Statement as {
            Action: unknown;
            Resource: unknown;
            Condition?: unknown;
          }[],
      );

  it("tells the operator API the order and dev's source", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'cutover operator API and console',
      Environment: {
        Variables: Match.objectLike({
          [OPERATOR_ENV.environments]: 'dev,staging,prod',
          [OPERATOR_ENV.environment]: 'staging',
          [OPERATOR_ENV.promotionTableArn]: DEV_TABLE,
          [OPERATOR_ENV.promotionRoleArn]: DEV_READER,
        }),
      },
    });
  });

  it("lets the operator API assume dev's reader role, and no other role", () => {
    const assumes = policies
      .flatMap(
        (policy) => policy['Properties'].PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
      )
      .filter((statement) => JSON.stringify(statement.Action).includes('sts:'));
    expect(assumes).toEqual([expect.objectContaining({ Action: 'sts:AssumeRole', Resource: DEV_READER })]);
  });

  it("gives prod's account a role that may only Query the promotion records", () => {
    const [readerId, reader] = Object.entries(roles).find(([, role]) =>
      String(role['Properties'].Description).includes('promotion order'),
    )!;
    expect(JSON.stringify(reader['Properties'].AssumeRolePolicyDocument)).toContain(
      ':iam::333333333333:root',
    );
    expect(statementsOf(readerId)).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: expect.anything(),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PROMOTION#*'] } },
      },
    ]);
    template.hasOutput(STACK_OUTPUTS.promotionReaderRole, {});
    template.hasOutput(STACK_OUTPUTS.tableArn, {});
  });

  it("touches promotion records two ways only: record-outcome's Put and the reader's Query", () => {
    const puts = policies
      .flatMap(
        (policy) =>
          policy['Properties'].PolicyDocument.Statement as { Action: unknown; Condition?: unknown }[],
      )
      .filter((statement) => JSON.stringify(statement.Condition ?? {}).includes('PROMOTION#'));
    expect(puts.map((statement) => statement.Action).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
  });

  it('passes cdk-nag AwsSolutions and the cutover checks', () => {
    for (const pack of [new AwsSolutionsChecks(), new CutoverChecks()]) {
      const report = pack.validateScope(stack);
      expect(
        report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
        ),
      ).toEqual([]);
    }
  });
});
