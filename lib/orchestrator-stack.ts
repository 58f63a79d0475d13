import { Duration, Stack, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { ControlTable } from './control-table';
import { CutoverStateMachine } from './cutover-state-machine';
import { EventsTopic } from './events-topic';
import { FinalizeScheduling } from './finalize-scheduling';
import type { OrchestratorConfig } from './orchestrator-config';
import { StepLambdas } from './step-lambdas';
import { DATABASE_STEPS, DatabaseNetwork } from './database-network';
import { OperatorApi } from './operator-api';
import { acknowledgeOperatorApiFindings } from './operator-api-findings';
import { grantStepPermissions } from './step-permissions';
import { PromotionReader } from './promotion-reader';
import { RunbookAutomation } from './runbooks/runbook-automation';
import { acknowledgeRunbookFindings } from './runbooks/runbook-findings';
import type { Runbook } from '../domain/runbook/schema';
import { loadRunbooks } from '../runbooks/catalog';

export interface OrchestratorStackProps extends StackProps {
  /** What this orchestrator may change; a plan outside it is refused at preflight. */
  readonly config: OrchestratorConfig;
  /** The runbooks to deploy (documents, workflows, schedules). @default - every runbook in runbooks/ */
  readonly runbooks?: readonly Runbook[];
}

/** The cutover orchestrator: control table, events topic, step functions, state machine, health watcher. */
export class OrchestratorStack extends Stack {
  readonly controlTable: ControlTable;
  readonly eventsTopic: EventsTopic;
  readonly steps: StepLambdas;
  /** Where the finalize step is scheduled for when blue's retention ends. */
  readonly finalizeScheduling: FinalizeScheduling;
  readonly workflow: CutoverStateMachine;
  readonly operatorApi: OperatorApi;
  /** Absent unless `cutover:promotionReaders` names who in the environment above may read. */
  readonly promotionReader?: PromotionReader;
  /** Absent when the database steps run outside any VPC (no `cutover:databaseVpc`). */
  readonly databaseNetwork?: DatabaseNetwork;
  /** Absent when there is no runbook to deploy. */
  readonly runbooks?: RunbookAutomation;

  constructor(scope: Construct, id: string, props: OrchestratorStackProps) {
    super(scope, id, props);
    this.controlTable = new ControlTable(this, 'Control');
    this.eventsTopic = new EventsTopic(this, 'Events');
    // Named, not generated: the step functions carry the name, and the rule targets one of them.
    const watcherRuleName = `${this.stackName.slice(0, 48)}-health-watcher`;
    if (props.config.databaseVpc) {
      this.databaseNetwork = new DatabaseNetwork(this, 'DatabaseNetwork', {
        config: props.config.databaseVpc,
        steps: DATABASE_STEPS,
      });
    }
    this.steps = new StepLambdas(this, 'Steps', {
      ...(this.databaseNetwork ? { databaseNetwork: this.databaseNetwork } : {}),
      config: props.config,
      tableName: this.controlTable.table.tableName,
      topicArn: this.eventsTopic.topic.topicArn,
      watcherRuleName,
    });
    this.workflow = new CutoverStateMachine(this, 'Workflow', {
      functions: this.steps.functions,
      alarmTopic: this.eventsTopic.topic,
    });
    const finalizeScheduling = new FinalizeScheduling(this, 'Finalize', {
      finalize: this.steps.functions.finalize,
      alarmTopic: this.eventsTopic.topic,
    });
    this.finalizeScheduling = finalizeScheduling;
    this.steps.linkFinalizeScheduling(finalizeScheduling);
    grantStepPermissions({
      roles: this.steps.roles,
      config: props.config,
      table: this.controlTable.table,
      events: this.eventsTopic,
      stateMachine: this.workflow.stateMachine,
      watcherRuleArn: this.formatArn({ service: 'events', resource: 'rule', resourceName: watcherRuleName }),
      finalizeScheduling,
    });
    // The health watcher: completes bakes (promote, fail, operator rollback) between the workflow's waits.
    // Off until a bake is registered, and off again once none is pending: idle, nothing runs.
    new events.Rule(this, 'HealthWatcherSchedule', {
      ruleName: watcherRuleName,
      enabled: false,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      description: 'cutover health watcher: probes every pending bake (enabled only while one is pending)',
      targets: [
        new targets.LambdaFunction(this.steps.functions['watch-bakes'], {
          event: events.RuleTargetInput.fromObject({ windowSeconds: 55 }),
          retryAttempts: 0,
        }),
      ],
    });
    this.operatorApi = new OperatorApi(this, 'Operator', {
      stateMachine: this.workflow.stateMachine,
      table: this.controlTable.table,
      ...(props.config.promotion ? { promotion: props.config.promotion } : {}),
    });
    if (props.config.promotionReaders?.length) {
      this.promotionReader = new PromotionReader(this, 'PromotionReader', {
        table: this.controlTable.table,
        readers: props.config.promotionReaders,
      });
    }
    this.steps.linkConsole(this.operatorApi.consoleUrl);
    acknowledgeOperatorApiFindings(
      this.operatorApi,
      this.workflow.stateMachine.node.defaultChild as CfnElement,
    );
    const runbooks = props.runbooks ?? loadRunbooks();
    if (runbooks.length > 0) {
      this.runbooks = new RunbookAutomation(this, 'Runbooks', {
        runbooks,
        table: this.controlTable.table,
        events: this.eventsTopic,
      });
      acknowledgeRunbookFindings(this.runbooks);
    }
    acknowledgeFindings(this, props.config);
  }
}

/** cdk-nag findings that are the right design here, each with its reason. No action is ever a wildcard. */
function acknowledgeFindings(stack: OrchestratorStack, config: OrchestratorConfig): void {
  const steps = Validations.of(stack.steps);
  const iam5 = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;
  steps.acknowledge({
    id: iam5('*'),
    reason:
      'X-Ray PutTraceSegments/PutTelemetryRecords, CloudWatch GetMetricData (the RDS ReplicaLag metric), ECS DescribeTaskDefinition/RegisterTaskDefinition and EC2 DescribeNetworkInterfaces/DescribeSubnets (Lambda attaching a database step to its VPC) have no resource-level permissions.',
  });
  const account = 'arn:<AWS::Partition>:%s:<AWS::Region>:<AWS::AccountId>:%s';
  if (config.databaseVpc) {
    steps.acknowledge({
      id: iam5(account.replace('%s', 'ec2').replace('%s', 'network-interface/*')),
      reason:
        "Lambda creates and deletes the network interfaces of a database step in its VPC with the step's role; their ids are generated (creation is limited to the configured subnets and security group).",
    });
  }
  for (const [service, resource, reason] of [
    [
      'cloudwatch',
      'alarm:*',
      'Health alarms are named by each plan, which is written after deployment; DescribeAlarms is read-only.',
    ],
    ...((config.rdsBlueGreenDeployments ?? []).length > 0
      ? ([
          [
            'rds',
            'db:*',
            'The members of the configured RDS Blue/Green deployments: RDS names the green instances itself and renames both sides at switchover, so AWS documents only db:* for ModifyDBInstance/PromoteReadReplica there (SwitchoverBlueGreenDeployment is scoped to the configured deployments).',
          ],
        ] as const)
      : []),
  ] as const) {
    steps.acknowledge({ id: iam5(account.replace('%s', service).replace('%s', resource)), reason });
  }
  steps.acknowledge({
    id: iam5(
      account
        .replace('%s', 'scheduler')
        .replace('%s', `schedule/${stack.finalizeScheduling.group.scheduleGroupName}/*`),
    ),
    reason:
      'record-outcome creates one finalize schedule per completed execution, named after it, in the orchestrator’s own finalize group only.',
  });
  steps.acknowledge({
    id: iam5('arn:<AWS::Partition>:route53:::change/*'),
    reason: 'Route 53 change ids are generated per change; GetChange is read-only.',
  });
  steps.acknowledge({
    id: iam5('arn:<AWS::Partition>:route53:::healthcheck/*'),
    reason: 'Health check ids are named by each plan; GetHealthCheckStatus is read-only.',
  });
  if (config.deployStacks.length > 0) {
    steps.acknowledge({
      id: iam5('arn:<AWS::Partition>:cloudformation:<AWS::Region>:aws:transform/*'),
      reason:
        'AWS-owned transforms (account "aws", e.g. Serverless-2016-10-31) that a green template may declare; only CreateChangeSet is allowed on them.',
    });
  }
  for (const name of config.deployStacks) {
    steps.acknowledge({
      id: iam5(account.replace('%s', 'cloudformation').replace('%s', `stack/${name}/*`)),
      reason: `A stack ARN ends with an id CloudFormation generates; the wildcard covers only that id of stack ${name}.`,
    });
  }
  if ((config.deployServices ?? []).length > 0) {
    steps.acknowledge({
      id: iam5(account.replace('%s', 'ecs').replace('%s', 'task-definition/*')),
      reason:
        'Tagging a task definition revision as RegisterTaskDefinition creates it (condition ecs:CreateAction); its family and revision are not known before.',
    });
  }
  Validations.of(stack.workflow).acknowledge({
    id: iam5('*'),
    reason:
      'Step Functions log delivery (logs:*LogDelivery*) and X-Ray tracing have no resource-level permissions.',
  });
  for (const fn of Object.values(stack.steps.functions)) {
    const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    Validations.of(stack.workflow).acknowledge({
      id: iam5(`<${logicalId}.Arn>:*`),
      reason:
        'The state machine may invoke any version of its own step functions (the grant CDK writes for LambdaInvoke).',
    });
  }
}
