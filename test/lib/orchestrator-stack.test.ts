import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CutoverChecks } from '../../lib/nag/cutover-checks';
import { OrchestratorStack } from '../../lib/orchestrator-stack';
import type { OrchestratorConfig } from '../../lib/orchestrator-config';
import { STEP_NAMES, STEPS } from '../../workflow/registry';
import { nagFindings } from '../support/nag-findings';
import { stepRoleStatements } from '../support/step-role-statements';

const CONFIG: OrchestratorConfig = {
  allowedZones: [
    { hostedZoneId: 'Z0EXAMPLEPUBLIC', recordNames: ['app.example.com'] },
    { hostedZoneId: 'Z0EXAMPLEPRIVATE', recordNames: ['db.internal.example.com'] },
  ],
  databaseSecretArns: ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/blue-AbCdEf'],
  deployStacks: ['web-green'],
  cloudFormationRoleArn: 'arn:aws:iam::123456789012:role/cutover-cfn',
  deployServices: ['orders/orders-green'],
  ecsTaskRoleArns: [
    'arn:aws:iam::123456789012:role/orders-task',
    'arn:aws:iam::123456789012:role/orders-execution',
  ],
  rdsBlueGreenDeployments: ['bgd-abc123'],
  rdsInstances: ['orders', 'orders-replica'],
  notificationTopicArns: ['arn:aws:sns:eu-west-1:123456789012:web-team-pager'],
};

function synth(config: OrchestratorConfig = CONFIG): { stack: OrchestratorStack; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  // The runbooks have their own test (runbook-automation.test.ts).
  const stack = new OrchestratorStack(app, 'CutoverOrchestrator', { config, runbooks: [] });
  return { stack, template: Template.fromStack(stack) };
}

const { stack, template } = synth();

const statementsOfRole = (step: string) => stepRoleStatements(template, step);

describe('OrchestratorStack', () => {
  it('creates one Node 24 ARM64 function per workflow step (and one for the operator API), traced, with its own log group', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } },
      STEP_NAMES.length + 1,
    );
    for (const step of STEP_NAMES) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ CUTOVER_STEP: step }) },
        LoggingConfig: { LogGroup: Match.anyValue() },
      });
    }
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 90 }, STEP_NAMES.length);
  });

  it("tells every step the web console's URL, from the operator API's endpoint, for notifications' links", () => {
    const apiId = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0]!;
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ CUTOVER_STEP: Match.anyValue() }) } },
    });
    expect(Object.keys(functions)).toHaveLength(STEP_NAMES.length);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Environment.Variables.CUTOVER_CONSOLE_URL).toEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/console/']],
      });
    }
  });

  it('runs a Standard state machine logging ALL without execution data, traced, with an alarm on failures', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('EventsTopic') }],
    });
  });

  it('encrypts the events topic with a rotated customer-managed key that CloudWatch alarms of this account may use', () => {
    const keys = template.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } });
    const [keyId, key] = Object.entries(keys).find(([id]) => id.startsWith('EventsKey'))!;
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    const statements = (key as { Properties: { KeyPolicy: { Statement: Record<string, unknown>[] } } })
      .Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'CloudWatchAlarmsPublish',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: expect.objectContaining({
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        }),
      }),
    );
  });

  it('lets the notifying steps publish to the events topic and the configured plan topics, nothing else', () => {
    for (const step of ['await-human', 'record-outcome']) {
      expect(statementsOfRole(step)).toContainEqual(
        expect.objectContaining({
          Action: 'sns:Publish',
          Resource: [
            { Ref: expect.stringMatching(/^EventsTopic/) },
            'arn:aws:sns:eu-west-1:123456789012:web-team-pager',
          ],
        }),
      );
    }
  });

  it('keeps locks and task tokens in an encrypted, point-in-time recoverable table with the pending index', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'pending' })],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('runs the health watcher every minute, but only while a bake is pending (deployed disabled)', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'CutoverOrchestrator-health-watcher',
      State: 'DISABLED',
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Input: JSON.stringify({ windowSeconds: 55 }) })],
    });
    const switches = (step: string) =>
      statementsOfRole(step)
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('events:')))
        .map((s) => s.Action);
    expect(switches('start-bake')).toEqual(['events:EnableRule']);
    expect(switches('watch-bakes')).toEqual([['events:EnableRule', 'events:DisableRule']]);
    for (const step of STEP_NAMES.filter((s) => s !== 'start-bake' && s !== 'watch-bakes')) {
      expect([step, switches(step)]).toEqual([step, []]);
    }
  });

  it('grants RDS switch actions as AWS documents them, scoped to the configured deployments and instances', () => {
    const rds = (step: string) =>
      statementsOfRole(step)
        .filter((s) => [s.Action].flat().some((action) => action.startsWith('rds:')))
        .map((s) => ({ actions: [s.Action].flat(), resource: JSON.stringify(s.Resource) }));
    const switching = rds('switch-database');
    const on = (action: string) => switching.filter((s) => s.actions.includes(action)).map((s) => s.resource);
    expect(on('rds:SwitchoverBlueGreenDeployment')).toEqual([
      expect.stringContaining(':deployment:bgd-abc123'),
    ]);
    expect(on('rds:SwitchoverBlueGreenDeployment')[0]).not.toContain('*');
    expect(on('rds:ModifyDBInstance')).toEqual([expect.stringContaining(':db:*')]);
    const promote = on('rds:PromoteReadReplica').join();
    expect(promote).toContain(':db:orders-replica');
    expect(promote).toContain(':db:*'); // the Blue/Green members, which RDS names itself
    // Reading steps never get the switch actions.
    expect(rds('check-lag').flatMap((s) => s.actions)).not.toContain('rds:ModifyDBInstance');

    const withoutRds = synth({ ...CONFIG, rdsBlueGreenDeployments: [], rdsInstances: [] }).stack;
    const actions = JSON.stringify(Template.fromStack(withoutRds).findResources('AWS::IAM::Policy'));
    expect(actions).not.toContain('rds:');
  });

  it('lets only the record-changing steps change records, only in the allowed zones, names, types and actions', () => {
    for (const step of STEP_NAMES) {
      const changes = statementsOfRole(step).filter((s) =>
        [s.Action].flat().includes('route53:ChangeResourceRecordSets'),
      );
      expect([step, changes.length > 0]).toEqual([
        step,
        ['set-weights', 'rollback', 'restore', 'switch-database'].includes(step),
      ]);
    }
    const [change] = statementsOfRole('set-weights').filter(
      (s) => s.Action === 'route53:ChangeResourceRecordSets',
    );
    expect(change?.Resource).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/Z0EXAMPLEPUBLIC']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/Z0EXAMPLEPRIVATE']] },
    ]);
    expect(change?.Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
          'app.example.com',
          'db.internal.example.com',
        ],
        'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    });
  });

  it.each(STEP_NAMES)('grants %s exactly the access its step declares (plus logs and X-Ray)', (step) => {
    const granted = new Set(statementsOfRole(step).flatMap((s) => [s.Action].flat()));
    const declared = STEPS[step].access.flatMap((a) => a.actions);
    const own = [
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      // Lambda itself sends a failed asynchronous invocation to its destination with the function's role.
      ...(step === 'finalize' ? ['sqs:SendMessage'] : []),
    ];
    const kms = ['kms:Decrypt', 'kms:GenerateDataKey'];
    expect([...granted].filter((action) => !own.includes(action) && !kms.includes(action)).sort()).toEqual(
      [...new Set(declared)].sort(),
    );
  });

  it('grants task responses (SendTaskSuccess/Failure) only to the health watcher', () => {
    for (const step of STEP_NAMES) {
      const responds = statementsOfRole(step).some((s) =>
        [s.Action].flat().includes('states:SendTaskSuccess'),
      );
      expect([step, responds]).toEqual([step, step === 'watch-bakes']);
    }
  });

  it('lets no step read the execution history, where task tokens are recorded', () => {
    for (const step of STEP_NAMES) {
      const reads = statementsOfRole(step).some((s) =>
        [s.Action].flat().some((a) => a === 'states:GetExecutionHistory' || a === 'states:*'),
      );
      expect([step, reads]).toEqual([step, false]);
    }
  });

  it('scopes every control-table access to one kind of item; only record-outcome writes audit records, none deletes them', () => {
    const tableStatements = STEP_NAMES.flatMap((step) =>
      statementsOfRole(step)
        .filter((s) => [s.Action].flat().some((a) => /^dynamodb:(Get|Put|Update|Delete)Item$/.test(a)))
        .map((s) => ({ step, ...s })),
    );
    const leadingKeys = (s: { Condition?: unknown }) =>
      (s.Condition as { 'ForAllValues:StringLike'?: { 'dynamodb:LeadingKeys'?: string[] } } | undefined)?.[
        'ForAllValues:StringLike'
      ]?.['dynamodb:LeadingKeys'];
    for (const statement of tableStatements) {
      expect([statement.step, leadingKeys(statement)?.length]).toEqual([statement.step, 1]);
    }
    const onAudit = tableStatements.filter((s) => leadingKeys(s)?.[0] === 'AUDIT#*');
    expect(onAudit.map((s) => [s.step, s.Action])).toEqual([['record-outcome', 'dynamodb:PutItem']]);
    const deleting = tableStatements.filter((s) => [s.Action].flat().includes('dynamodb:DeleteItem'));
    expect(new Set(deleting.map(leadingKeys).flat())).toEqual(new Set(['LOCK#*', 'WATCHER#*']));
  });

  it('lets the steps that register a wait write only the pending wait, never a rollback request', () => {
    for (const step of ['start-bake', 'await-human', 'watch-bakes']) {
      expect(statementsOfRole(step)).toContainEqual(
        expect.objectContaining({
          Action: 'dynamodb:UpdateItem',
          Condition: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EXEC#*'] },
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'pendingKind', 'pending'] },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
          },
        }),
      );
    }
  });

  it('lets the looping steps renew a lock’s lease (its expiry, if they still own it), nothing more', () => {
    const renewing = STEP_NAMES.filter((step) =>
      statementsOfRole(step).some(
        (s) =>
          s.Action === 'dynamodb:UpdateItem' &&
          JSON.stringify(s.Condition).includes('"dynamodb:LeadingKeys":["LOCK#*"]'),
      ),
    );
    expect(renewing.sort()).toEqual(['check-deploy', 'check-lag', 'freeze-writes', 'set-weights']);
    expect(statementsOfRole('set-weights')).toContainEqual(
      expect.objectContaining({
        Action: 'dynamodb:UpdateItem',
        Condition: expect.objectContaining({
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': ['pk', 'sk', 'pendingKind', 'owner', 'expiresAt'],
          },
        }),
      }),
    );
  });

  it('lets only record-outcome schedule the finalize step: in its own schedule group, passing only the scheduler role to Scheduler', () => {
    const groupName = stack.finalizeScheduling.group.scheduleGroupName;
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: groupName });
    const scheduling = STEP_NAMES.filter((step) =>
      statementsOfRole(step).some((s) => [s.Action].flat().some((a) => a.startsWith('scheduler:'))),
    );
    expect(scheduling).toEqual(['record-outcome']);
    const statements = statementsOfRole('record-outcome');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'scheduler:CreateSchedule',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':scheduler:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              `:schedule/${groupName}/*`,
            ],
          ],
        },
      }),
    );
    const roleId = stack.getLogicalId(stack.finalizeScheduling.role.node.defaultChild as iam.CfnRole);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [roleId, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          CUTOVER_STEP: 'record-outcome',
          CUTOVER_FINALIZE_SCHEDULE_GROUP: groupName,
          CUTOVER_FINALIZE_SCHEDULER_ROLE: { 'Fn::GetAtt': [roleId, 'Arn'] },
        }),
      },
    });
  });

  it('lets EventBridge Scheduler of this account assume the scheduler role, which may invoke only the finalize function', () => {
    const roleId = stack.getLogicalId(stack.finalizeScheduling.role.node.defaultChild as iam.CfnRole);
    const finalizeId = stack.getLogicalId(stack.steps.functions.finalize.node.defaultChild as iam.CfnRole);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument
          .Statement,
    );
    const failuresId = stack.getLogicalId(stack.finalizeScheduling.failures.node.defaultChild as CfnElement);
    expect(statements).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [finalizeId, 'Arn'] } },
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [failuresId, 'Arn'] } },
    ]);
  });

  it('keeps a finalize that did not happen, with its context, and raises an alarm on the events topic', () => {
    const finalizeId = stack.getLogicalId(stack.steps.functions.finalize.node.defaultChild as CfnElement);
    const failuresId = stack.getLogicalId(stack.finalizeScheduling.failures.node.defaultChild as CfnElement);
    // A failed finalize (Scheduler invokes it asynchronously) is retried twice by Lambda, then kept.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: finalizeId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failuresId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    const topicId = stack.getLogicalId(stack.eventsTopic.topic.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failuresId, 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [{ Ref: topicId }],
    });
    template.hasOutput('FinalizeFailuresQueueUrl', { Value: { Ref: failuresId } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          CUTOVER_STEP: 'record-outcome',
          CUTOVER_FINALIZE_FAILURES: { 'Fn::GetAtt': [failuresId, 'Arn'] },
        }),
      },
    });
  });

  it('lets the deploy step pass only the configured CloudFormation role, only to CloudFormation', () => {
    expect(statementsOfRole('start-deploy')).toContainEqual(
      expect.objectContaining({
        Action: 'iam:PassRole',
        Resource: CONFIG.cloudFormationRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
      }),
    );
  });

  it('lets the deploy step update only the configured ECS services, passing only their task roles to ECS tasks', () => {
    const serviceArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ecs:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':service/orders/orders-green',
        ],
      ],
    };
    const start = statementsOfRole('start-deploy');
    const withAction = (action: string) => start.find((s) => [s.Action].flat().includes(action));
    expect(withAction('ecs:UpdateService')?.Resource).toEqual(serviceArn);
    expect(withAction('ecs:RegisterTaskDefinition')?.Resource).toBe('*');
    expect(start).toContainEqual(
      expect.objectContaining({
        Action: 'iam:PassRole',
        Resource: CONFIG.ecsTaskRoleArns,
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    const check = statementsOfRole('check-deploy');
    expect(check.flatMap((s) => [s.Action].flat())).toEqual(
      expect.arrayContaining(['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'ecs:UpdateService']),
    );
    // Giving up points the configured service back at its previous revision: nothing else is updated.
    const rollBack = check.filter((s) => [s.Action].flat().includes('ecs:UpdateService'));
    expect(rollBack.map((s) => s.Resource)).toEqual([serviceArn]);
    expect(check.flatMap((s) => [s.Action].flat())).not.toContain('ecs:RegisterTaskDefinition');
  });

  it('grants no secret, stack or service access when none is configured', () => {
    const bare = synth({ ...CONFIG, databaseSecretArns: [], deployStacks: [], deployServices: [] }).template;
    const json = JSON.stringify(bare.toJSON());
    expect(json).not.toContain('secretsmanager:GetSecretValue');
    expect(json).not.toContain('cloudformation:CreateStack');
    expect(json).not.toContain('ecs:');
  });

  it('passes cdk-nag AwsSolutions and the cutover checks, every acknowledgment with a reason', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('fails the cutover checks when a wildcard action sneaks in', () => {
    const { stack: tainted } = synth();
    tainted.steps.roles['validate-plan'].addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }),
    );
    const report = new CutoverChecks().validateScope(tainted);
    expect(report.violations.map((v) => v.ruleName)).toEqual(['Cutover-CUT1']);
  });
});
