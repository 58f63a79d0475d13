import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { EventsTopic } from './events-topic';
import type { FinalizeScheduling } from './finalize-scheduling';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { ItemPrefix, KEY_ATTRIBUTES, PENDING_INDEX } from '../adapters/aws/control-table-keys';
import type { Access, AccessTarget } from '../workflow/access';
import { STEP_NAMES, STEPS, type StepName } from '../workflow/registry';
import type { OrchestratorConfig } from './orchestrator-config';

export interface StepPermissionsProps {
  readonly roles: Readonly<Record<StepName, iam.Role>>;
  readonly config: OrchestratorConfig;
  readonly table: TableV2;
  readonly events: EventsTopic;
  readonly stateMachine: StateMachine;
  /** The health watcher's schedule. */
  readonly watcherRuleArn: string;
  /** Where the finalize schedules go, and the role they run with. */
  readonly finalizeScheduling: FinalizeScheduling;
}

/**
 * Grants each step's role what the step declares (its `access`), on this stack's resources; no action
 * is a wildcard. A target the configuration leaves empty (no database secrets, no deploy stacks, no
 * CloudFormation role) grants nothing.
 */
export function grantStepPermissions(props: StepPermissionsProps): void {
  const statements = stepStatements(props);
  for (const step of STEP_NAMES) {
    const role = props.roles[step];
    for (const access of STEPS[step].access) {
      if (access.target === 'events-topic')
        props.events.grantPublish(role, props.config.notificationTopicArns);
      else statements(access).forEach((statement) => role.addToPolicy(statement));
    }
  }
}

function stepStatements(props: StepPermissionsProps): (access: Access) => iam.PolicyStatement[] {
  const { config, table } = props;
  const stack = Stack.of(table);
  const services = config.deployServices ?? [];
  const arn = (service: string, resource: string, resourceName: string, global = false) =>
    global
      ? `arn:${stack.partition}:${service}:::${resource}/${resourceName}`
      : stack.formatArn({ service, resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const zoneArns = config.allowedZones.map((z) => arn('route53', 'hostedzone', z.hostedZoneId, true));
  const resources: Record<Exclude<AccessTarget, 'events-topic'>, readonly string[]> = {
    'control-table': [table.tableArn],
    'pending-index': [`${table.tableArn}/index/${PENDING_INDEX}`],
    'state-machine': [props.stateMachine.stateMachineArn],
    'watcher-schedule': [props.watcherRuleArn],
    'finalize-schedules': [props.finalizeScheduling.schedulesArn],
    'finalize-scheduler-role': [props.finalizeScheduling.role.roleArn],
    'hosted-zones': zoneArns,
    'allowed-records': zoneArns,
    'dns-changes': [arn('route53', 'change', '*', true)],
    'health-checks': [arn('route53', 'healthcheck', '*', true)],
    alarms: [arn('cloudwatch', 'alarm', '*')],
    metrics: ['*'],
    'database-secrets': config.databaseSecretArns,
    'rds-deployments': (config.rdsBlueGreenDeployments ?? []).map((id) => arn('rds', 'deployment', id)),
    'rds-instances': (config.rdsInstances ?? []).map((id) => arn('rds', 'db', id)),
    'rds-blue-green-members':
      (config.rdsBlueGreenDeployments ?? []).length > 0 ? [arn('rds', 'db', '*')] : [],
    'deploy-stacks': config.deployStacks.map((name) =>
      stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${name}/*` }),
    ),
    'stack-transforms':
      config.deployStacks.length > 0
        ? [`arn:${stack.partition}:cloudformation:${stack.region}:aws:transform/*`]
        : [],
    'cloudformation-role':
      config.cloudFormationRoleArn && config.deployStacks.length > 0 ? [config.cloudFormationRoleArn] : [],
    'deploy-services': services.map((name) =>
      stack.formatArn({ service: 'ecs', resource: 'service', resourceName: name }),
    ),
    // DescribeTaskDefinition and RegisterTaskDefinition have no resource-level permissions.
    'task-definitions': services.length > 0 ? ['*'] : [],
    'new-task-definitions':
      services.length > 0
        ? [stack.formatArn({ service: 'ecs', resource: 'task-definition', resourceName: '*' })]
        : [],
    'ecs-task-roles': services.length > 0 ? [...(config.ecsTaskRoleArns ?? [])] : [],
    // Runbook access: no cutover step declares it; lib/runbooks grants it to the runbook steps.
    'ssm-fleet': [],
    'runbook-documents': [],
    'runbook-instances': [],
    'runbook-ecs': [],
  };
  const conditions: Partial<Record<AccessTarget, Record<string, unknown>>> = {
    'allowed-records': {
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': config.allowedZones.flatMap(
          (z) => z.recordNames,
        ),
        'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    },
    'cloudformation-role': { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    'finalize-scheduler-role': { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    'new-task-definitions': { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    'ecs-task-roles': { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
  };
  return (access) =>
    access.target === 'events-topic'
      ? []
      : accessStatements(access, resources[access.target], conditions[access.target]);
}

/**
 * What one declared access grants on `resources`: one statement with its actions, the target's own
 * conditions and, on the control table, the item and attribute conditions; none without resources.
 */
export function accessStatements(
  access: Access,
  resources: readonly string[],
  conditions: Record<string, unknown> = {},
): iam.PolicyStatement[] {
  if (resources.length === 0) return [];
  const condition = { ...conditions, ...controlTableConditions(access) };
  return [
    new iam.PolicyStatement({
      actions: [...access.actions],
      resources: [...resources],
      ...(Object.keys(condition).length > 0 ? { conditions: condition } : {}),
    }),
  ];
}

/**
 * A step touches one kind of control-table item (locks, control records or audit records), and, when
 * it declares them, only some attributes: a step that registers a wait cannot forge a rollback
 * request, no step but record-outcome can touch an audit record, and none can delete one.
 */
function controlTableConditions(access: Pick<Access, 'items' | 'attributes'>): Record<string, unknown> {
  if (!access.items) return {};
  const leadingKeys = { 'dynamodb:LeadingKeys': [`${ItemPrefix[access.items]}*`] };
  if (!access.attributes) return { 'ForAllValues:StringLike': leadingKeys };
  return {
    'ForAllValues:StringLike': leadingKeys,
    'ForAllValues:StringEquals': {
      'dynamodb:Attributes': [...KEY_ATTRIBUTES, ...access.attributes],
    },
    // With attribute-level access, an update may not return attributes outside the list.
    StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
  };
}
