import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CutoverChecks } from '../../lib/nag/cutover-checks';
import { OrchestratorStack } from '../../lib/orchestrator-stack';
import { SCHEDULE_RETRY_ATTEMPTS } from '../../lib/runbooks/runbook-automation';
import { loadRunbooks } from '../../runbooks/catalog';

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new OrchestratorStack(app, 'CutoverOrchestrator', {
  config: {
    allowedZones: [{ hostedZoneId: 'Z0EXAMPLE', recordNames: ['app.example.com'] }],
    databaseSecretArns: [],
    deployStacks: [],
  },
});
const template = Template.fromStack(stack);
const runbooks = loadRunbooks();

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

function statementsOf(step: string): Statement[] {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { Description: `cutover ${step}` } });
  const roleId = Object.keys(roles)[0]!;
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}

describe('runbooks on AWS (synthesized template)', () => {
  it('has one SSM document, one workflow and one schedule per runbook', () => {
    template.resourceCountIs('AWS::SSM::Document', runbooks.length);
    template.resourceCountIs('AWS::Scheduler::Schedule', runbooks.length);
    for (const runbook of runbooks) {
      template.hasResourceProperties('AWS::SSM::Document', {
        Name: `cutover-runbook-${runbook.name}`,
        DocumentType: 'Command',
      });
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `cutover-runbook-${runbook.name}`,
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      });
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: `cutover-runbook-${runbook.name}`,
        ScheduleExpression: runbook.schedule!.expression,
        ScheduleExpressionTimezone: runbook.schedule!.timezone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS }),
          DeadLetterConfig: { Arn: Match.anyValue() },
          Input: Match.stringLikeRegexp('"scheduledTime":"<aws.scheduler.scheduled-time>"'),
        }),
      });
    }
  });

  it('gives every document parameter an allowedPattern its default matches', () => {
    const documents = Object.values(template.findResources('AWS::SSM::Document'));
    for (const document of documents) {
      const content = (
        document as {
          Properties: {
            Content: { parameters: Record<string, { allowedPattern?: string; default: string }> };
          };
        }
      ).Properties.Content;
      for (const [name, parameter] of Object.entries(content.parameters)) {
        expect([name, parameter.allowedPattern]).toEqual([name, expect.stringMatching(/^\^.*\$$/)]);
        expect(new RegExp(parameter.allowedPattern!).test(parameter.default)).toBe(true);
      }
    }
    const caches = documents.find((d) => JSON.stringify(d).includes('cutover-runbook-free-disk-caches')) as {
      Properties: { Content: { mainSteps: Array<{ inputs: { runCommand: string[] } }> } };
    };
    const commands = caches.Properties.Content.mainSteps[0]!.inputs.runCommand;
    expect(commands[commands.length - 1]).toBe(
      `python3 "$dir/free-disk-caches.py" --dry-run '{{ dryRun }}' --level '{{ step1Level }}' --only-if-memory-available-below '{{ precondition1 }}'`,
    );
  });

  it('allows ssm:SendCommand only for the runbook documents and for instances tagged cutover-runbooks=enabled', () => {
    const sends = [
      ...new Set(['runbook-prepare', 'runbook-send-batch', 'runbook-poll-batch', 'runbook-finish']),
    ].flatMap((step) =>
      statementsOf(step)
        .filter((s) => [s.Action].flat().includes('ssm:SendCommand'))
        .map((s) => ({ step, ...s })),
    );
    expect(sends.map((s) => s.step)).toEqual(['runbook-send-batch', 'runbook-send-batch']);
    const [documents, instances] = sends as unknown as [Statement, Statement];
    expect(JSON.stringify(documents.Resource)).toContain(':document/cutover-runbook-free-disk-caches');
    expect(documents.Resource).toHaveLength(runbooks.length);
    expect(documents.Condition).toBeUndefined();
    expect(JSON.stringify(instances.Resource)).toMatch(/:instance\/\*.*:managed-instance\/\*/);
    expect(instances.Condition).toEqual({ StringEquals: { 'ssm:resourceTag/cutover-runbooks': 'enabled' } });
  });

  it('lets the runbook functions write only their runbook run records (RUNBOOK#*), append-only', () => {
    const writes = ['runbook-prepare', 'runbook-send-batch', 'runbook-poll-batch', 'runbook-finish'].flatMap(
      (step) =>
        statementsOf(step)
          .filter((s) => [s.Action].flat().some((action) => action.startsWith('dynamodb:')))
          .map((s) => ({ step, Action: s.Action, Condition: s.Condition })),
    );
    expect(writes).toEqual(
      ['runbook-prepare', 'runbook-finish'].map((step) => ({
        step,
        Action: 'dynamodb:PutItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RUNBOOK#*'] } },
      })),
    );
  });

  it('passes cdk-nag AwsSolutions and the cutover checks', () => {
    for (const pack of [new AwsSolutionsChecks(), new CutoverChecks()]) {
      const report = pack.validateScope(stack.runbooks!);
      expect(
        report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
        ),
      ).toEqual([]);
    }
  });
});
