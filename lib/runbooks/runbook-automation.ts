import { ArnFormat, Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { durationSeconds } from '../../domain/duration';
import { worstCaseSeconds } from '../../domain/runbook/rate-control';
import { OPT_IN_TAG, type Runbook } from '../../domain/runbook/schema';
import { STEP_ENV as ENV } from '../../workflow/step-environment';
import { RUNBOOK_ENV } from '../../lambdas/runbook/aws-runbook-ports';
import { runbookStateMachineName } from '../../operations/start-runbook';
import { scriptSource } from '../../runbooks/catalog';
import { deadLetterQueue } from '../dead-letter-queue';
import { STEP_LAMBDA_TIMEOUT } from '../../state-machines/fragments/invoke-step';
import { runbookWorkflow, type RunbookFunctions } from '../../state-machines/runbook-workflow';
import type { AccessTarget } from '../../workflow/access';
import { RUNBOOK_STEP_NAMES, RUNBOOK_STEPS, type RunbookStepName } from '../../workflow/runbook/steps';
import { runbookDocument, runbookDocumentName } from './runbook-document';
import type { EventsTopic } from '../events-topic';
import { accessStatements } from '../step-permissions';

export interface RunbookAutomationProps {
  /** The validated runbooks (runbooks/*.yaml). */
  readonly runbooks: readonly Runbook[];
  /** Where runs are recorded (the control table). */
  readonly table: TableV2;
  /** Where failed, late and changing runs are reported. */
  readonly events: EventsTopic;
}

/** How often EventBridge Scheduler retries starting a run before the event goes to the dead-letter queue. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;

/**
 * Runbooks on AWS. Each runbook gets an SSM Command document, a Standard state machine (its
 * workflow) and, when it has a schedule, an EventBridge Scheduler schedule with retries and a
 * dead-letter queue. The four workflow steps are shared Lambda functions, each with its own role:
 * only send-batch may call ssm:SendCommand, and only with these documents on instances tagged
 * `cutover-runbooks=enabled`.
 */
export class RunbookAutomation extends Construct {
  readonly functions: RunbookFunctions;
  readonly roles: Readonly<Record<RunbookStepName, iam.Role>>;
  readonly stateMachines: Readonly<Record<string, sfn.StateMachine>> = {};
  readonly deadLetterQueue: sqs.Queue;
  /** The ECS clusters whose tasks and container instances runbooks may look up. */
  readonly ecsClusters: readonly string[];

  constructor(scope: Construct, id: string, props: RunbookAutomationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const outputLogs = new logs.LogGroup(this, 'CommandOutput', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const functions = {} as Record<RunbookStepName, lambda.IFunction>;
    const roles = {} as Record<RunbookStepName, iam.Role>;
    for (const step of RUNBOOK_STEP_NAMES) {
      const suffix = step.replace(/^runbook-/, '');
      const logGroup = new logs.LogGroup(this, `${suffix}Logs`, {
        retention: logs.RetentionDays.THREE_MONTHS,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = new iam.Role(this, `${suffix}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `cutover ${step}`,
      });
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      );
      functions[step] = new NodejsFunction(this, suffix, {
        entry: join(__dirname, '..', '..', 'lambdas', 'runbook', `${suffix}.ts`),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout: STEP_LAMBDA_TIMEOUT,
        tracing: lambda.Tracing.ACTIVE,
        role,
        logGroup,
        description: `cutover runbook workflow step: ${suffix}`,
        environment: {
          [ENV.step]: step,
          [ENV.controlTable]: props.table.tableName,
          [ENV.eventsTopic]: props.events.topic.topicArn,
          [RUNBOOK_ENV.outputLogGroup]: outputLogs.logGroupName,
          POWERTOOLS_SERVICE_NAME: 'cutover-runbooks',
          POWERTOOLS_METRICS_NAMESPACE: 'Cutover',
        },
        bundling: {
          minify: true,
          target: 'node24',
          format: OutputFormat.CJS,
          externalModules: ['@aws-sdk/*'],
        },
      });
      roles[step] = role;
    }
    this.functions = functions;
    this.roles = roles;

    this.ecsClusters = [
      ...new Set(props.runbooks.flatMap((r) => (r.targets.kind === 'ecs' ? [r.targets.cluster] : []))),
    ];
    this.deadLetterQueue = deadLetterQueue(this, 'ScheduleDeadLetters', 'the runbook schedules');

    const documentArns: string[] = [];
    for (const runbook of props.runbooks) {
      const documentName = runbookDocumentName(runbook);
      new ssm.CfnDocument(this, `${runbook.name}Document`, {
        name: documentName,
        documentType: 'Command',
        documentFormat: 'JSON',
        updateMethod: 'NewVersion',
        content: runbookDocument(runbook, scriptSource),
      });
      documentArns.push(
        stack.formatArn({ service: 'ssm', resource: 'document', resourceName: documentName }),
      );
      const machine = this.workflow(runbook, documentName);
      if (runbook.schedule) this.schedule(runbook, runbook.schedule, machine);
    }
    this.grant(props, documentArns);
  }

  private workflow(runbook: Runbook, documentName: string): sfn.StateMachine {
    const scope = new Construct(this, runbook.name);
    const logGroup = new logs.LogGroup(scope, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const machine = new sfn.StateMachine(scope, 'StateMachine', {
      stateMachineName: runbookStateMachineName(runbook.name),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(
        runbookWorkflow(scope, { runbook, documentName, functions: this.functions }),
      ),
      comment: `cutover runbook ${runbook.name}: canary first, then rate-controlled SendCommand`,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      timeout: Duration.seconds(worstCaseSeconds(runbook)),
    });
    (this.stateMachines as Record<string, sfn.StateMachine>)[runbook.name] = machine;
    return machine;
  }

  private schedule(
    runbook: Runbook,
    schedule: NonNullable<Runbook['schedule']>,
    machine: sfn.StateMachine,
  ): void {
    const notAfter = durationSeconds(schedule.notAfter);
    new scheduler.Schedule(this, `${runbook.name}Schedule`, {
      scheduleName: `cutover-runbook-${runbook.name}`,
      description: `cutover runbook ${runbook.name}`,
      schedule: scheduler.ScheduleExpression.expression(schedule.expression, TimeZone.of(schedule.timezone)),
      target: new schedulerTargets.StepFunctionsStartExecution(machine, {
        input: scheduler.ScheduleTargetInput.fromObject({
          startedBy: `schedule:cutover-runbook-${runbook.name}`,
          trigger: 'schedule',
          // The run claims this time in the audit table: retries and duplicate deliveries run once.
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        // Past notAfter the run would be skipped anyway: stop retrying then (Scheduler allows 60 s–24 h).
        maxEventAge: Duration.seconds(Math.min(Math.max(notAfter, 60), 86_400)),
      }),
    });
  }

  /** Grants each runbook step what it declares (its `access`), on the runbook resources. */
  private grant(props: RunbookAutomationProps, documentArns: string[]): void {
    const stack = Stack.of(this);
    const clusters = this.ecsClusters;
    const ecsArn = (resource: string, name: string) =>
      stack.formatArn({
        service: 'ecs',
        resource,
        resourceName: name,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const resources: Partial<Record<AccessTarget, readonly string[]>> = {
      'control-table': [props.table.tableArn],
      // DescribeInstanceInformation and ListCommandInvocations have no resource-level permissions.
      'ssm-fleet': ['*'],
      'runbook-documents': documentArns,
      'runbook-instances': [
        stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' }),
        stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
      ],
      'runbook-ecs': clusters.flatMap((c) => [
        ecsArn('task', `${c}/*`),
        ecsArn('container-instance', `${c}/*`),
      ]),
    };
    const conditions: Partial<Record<AccessTarget, Record<string, unknown>>> = {
      'runbook-instances': { StringEquals: { [`ssm:resourceTag/${OPT_IN_TAG.key}`]: OPT_IN_TAG.value } },
    };
    for (const step of RUNBOOK_STEP_NAMES) {
      const role = this.roles[step];
      for (const access of RUNBOOK_STEPS[step].access) {
        if (access.target === 'events-topic') {
          props.events.grantPublish(role);
          continue;
        }
        const on = resources[access.target];
        if (on === undefined) throw new Error(`${step}: runbooks grant no access to ${access.target}`);
        for (const statement of accessStatements(access, on, conditions[access.target])) {
          role.addToPolicy(statement);
        }
      }
    }
  }
}
