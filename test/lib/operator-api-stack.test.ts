import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { OrchestratorStack } from '../../lib/orchestrator-stack';
import { STACK_OUTPUTS } from '../../lib/stack-outputs';

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new OrchestratorStack(app, 'CutoverOrchestrator', {
  config: {
    allowedZones: [{ hostedZoneId: 'Z0EXAMPLEPUBLIC', recordNames: ['app.example.com'] }],
    databaseSecretArns: [],
    deployStacks: [],
  },
  runbooks: [],
});
const template = Template.fromStack(stack);
const routes = template.findResources('AWS::ApiGatewayV2::Route');
const byKey: Record<string, { AuthorizationType: string }> = Object.fromEntries(
  Object.values(routes).map((r) => [r['Properties'].RouteKey as string, r['Properties']]),
);

describe('the operator API in the orchestrator stack', () => {
  it('signs CLI routes with IAM and console data routes with the Cognito JWT; only the static console files are open', () => {
    expect(byKey['GET /api/{proxy+}']?.AuthorizationType).toBe('AWS_IAM');
    expect(byKey['POST /api/{proxy+}']?.AuthorizationType).toBe('AWS_IAM');
    expect(byKey['GET /console/api/{proxy+}']?.AuthorizationType).toBe('JWT');
    expect(byKey['POST /console/api/{proxy+}']?.AuthorizationType).toBe('JWT');
    const open = Object.entries(byKey)
      .filter(([, r]) => r.AuthorizationType === 'NONE')
      .map(([key]) => key);
    expect(open.sort()).toEqual(['GET /console', 'GET /console/{file+}']);
    expect(Object.keys(byKey).some((key) => key.startsWith('ANY') || key === '$default')).toBe(false);
  });

  it('logs every request of its stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('caller') },
    });
  });

  it('outputs an operator policy: execute-api:Invoke on the CLI routes, Query of runbook runs only, nothing else', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const statements = policy!['Properties'].PolicyDocument.Statement as {
      Action: unknown;
      Resource: unknown;
      Condition?: unknown;
    }[];
    expect(statements).toHaveLength(2);
    expect(statements[0]!.Action).toBe('execute-api:Invoke');
    expect(JSON.stringify(statements[0]!.Resource)).toContain('/$default/*/api/*');
    expect(statements[1]).toMatchObject({
      Action: 'dynamodb:Query',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/Table/), 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RUNBOOK#*'] } },
    });
    // The promotion reader's role exists only when cutover:promotionReaders names who may read (promotion-stack.test.ts).
    const { promotionReaderRole: _onlyWithReaders, ...always } = STACK_OUTPUTS;
    for (const key of Object.values(always)) template.hasOutput(key, {});
  });

  it('needs no states:SendTask* nor task token for operators: only the API’s own role may answer waits', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(JSON.stringify(policy)).not.toContain('states:');
  });

  it("lets the API's role write only rollback and pending on execution records, and only decision attributes in new items", () => {
    const apiRole = Object.entries(template.findResources('AWS::IAM::Role')).find(
      ([, r]) => r['Properties'].Description === 'cutover operator API',
    )![0];
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p['Properties'].Roles) === JSON.stringify([{ Ref: apiRole }]))
      .flatMap((p) => p['Properties'].PolicyDocument.Statement as { Action: unknown; Condition?: never }[]);
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    const conditionOf = (action: string) =>
      dynamo.find((s) => JSON.stringify(s.Action).includes(action))?.Condition;
    const executionsOnly = { 'dynamodb:LeadingKeys': ['EXEC#*'] };
    expect(dynamo).toHaveLength(3);
    expect(conditionOf('dynamodb:GetItem')).toEqual({ 'ForAllValues:StringLike': executionsOnly });
    expect(conditionOf('dynamodb:Query')).toEqual({ 'ForAllValues:StringLike': executionsOnly });
    expect(conditionOf('dynamodb:UpdateItem')).toEqual({
      'ForAllValues:StringLike': executionsOnly,
      'ForAllValues:StringEquals': {
        'dynamodb:Attributes': ['pk', 'sk', 'pendingKind', 'rollback', 'pending'],
      },
      StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
    });
    expect(conditionOf('dynamodb:PutItem')).toMatchObject({
      'ForAllValues:StringLike': executionsOnly,
      'ForAllValues:StringEquals': {
        'dynamodb:Attributes': ['pk', 'sk', 'pendingKind', 'at', 'principal', 'action', 'reason', 'result'],
      },
    });
    expect(JSON.stringify(dynamo)).not.toMatch(/DeleteItem|BatchWriteItem|dynamodb:\*/);
  });

  it('keeps console users to an admin-created, MFA-protected pool', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
  });
});
