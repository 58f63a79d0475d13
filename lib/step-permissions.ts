import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { StepName } from '../workflow/registry';
import { PENDING_INDEX } from './control-table';
import type { OrchestratorConfig } from './orchestrator-config';

export interface StepPermissionsProps {
  readonly roles: Readonly<Record<StepName, iam.Role>>;
  readonly config: OrchestratorConfig;
  readonly table: TableV2;
  readonly topic: ITopic;
  readonly stateMachine: StateMachine;
}

type Grant = (role: iam.Role) => void;

/** Steps that check for an operator's rollback (read the control record) before acting. */
const CHECKS_ROLLBACK: StepName[] = [
  'preflight',
  'start-deploy',
  'check-deploy',
  'set-weights',
  'check-in-sync',
  'start-bake',
  'await-human',
  'check-lag',
  'freeze-writes',
  'check-caught-up',
  'sync-sequences',
  'verify-data',
  'switch-database',
];
const PROBES_HEALTH: StepName[] = ['preflight', 'start-deploy', 'check-deploy', 'watch-bakes'];
const CHANGES_RECORDS: StepName[] = ['set-weights', 'rollback', 'restore', 'switch-database'];
const USES_DATABASE: StepName[] = [
  'preflight',
  'check-lag',
  'freeze-writes',
  'check-caught-up',
  'sync-sequences',
  'verify-data',
  'switch-database',
  'rollback',
  'restore',
];

/** Grants each step's role exactly what its step does; no action is a wildcard. */
export function grantStepPermissions(props: StepPermissionsProps): void {
  const { roles, config, table, topic } = props;
  const stack = Stack.of(table);
  const zoneArns = config.allowedZones.map(
    (z) => `arn:${stack.partition}:route53:::hostedzone/${z.hostedZoneId}`,
  );
  const recordNames = config.allowedZones.flatMap((z) => z.recordNames);
  const grant = (steps: readonly StepName[], apply: Grant) => steps.forEach((step) => apply(roles[step]));
  const allow =
    (actions: string[], resources: string[], conditions?: Record<string, unknown>): Grant =>
    (role) =>
      role.addToPolicy(
        new iam.PolicyStatement({ actions, resources, ...(conditions ? { conditions } : {}) }),
      );

  grant(CHECKS_ROLLBACK, allow(['dynamodb:GetItem'], [table.tableArn]));
  grant(['acquire-lock'], allow(['dynamodb:PutItem', 'dynamodb:DeleteItem'], [table.tableArn]));
  grant(['release-lock'], allow(['dynamodb:DeleteItem'], [table.tableArn]));
  grant(['start-bake', 'await-human'], allow(['dynamodb:UpdateItem'], [table.tableArn]));
  grant(['watch-bakes'], allow(['dynamodb:Query'], [`${table.tableArn}/index/${PENDING_INDEX}`]));
  grant(['watch-bakes'], allow(['dynamodb:GetItem', 'dynamodb:UpdateItem'], [table.tableArn]));
  grant(['record-outcome'], allow(['dynamodb:PutItem'], [table.tableArn]));
  grant(['await-human', 'record-outcome'], (role) => topic.grantPublish(role));
  props.stateMachine.grantTaskResponse(roles['watch-bakes']);

  grant(['preflight'], allow(['route53:ListResourceRecordSets'], zoneArns));
  grant(['check-in-sync'], allow(['route53:GetChange'], [`arn:${stack.partition}:route53:::change/*`]));
  grant(
    CHANGES_RECORDS,
    allow(['route53:ChangeResourceRecordSets'], zoneArns, {
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': recordNames,
        'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    }),
  );
  grant(
    PROBES_HEALTH,
    allow(['route53:GetHealthCheckStatus'], [`arn:${stack.partition}:route53:::healthcheck/*`]),
  );
  grant(
    PROBES_HEALTH,
    allow(
      ['cloudwatch:DescribeAlarms'],
      [
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    ),
  );

  if (config.databaseSecretArns.length > 0) {
    grant(USES_DATABASE, allow(['secretsmanager:GetSecretValue'], [...config.databaseSecretArns]));
  }
  // GetMetricData has no resource-level permissions: reading the RDS ReplicaLag metric needs "*".
  grant(['preflight', 'check-lag', 'check-caught-up'], allow(['cloudwatch:GetMetricData'], ['*']));
  const rdsArn = (type: string) =>
    stack.formatArn({
      service: 'rds',
      resource: type,
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  grant(
    USES_DATABASE,
    allow(
      ['rds:DescribeBlueGreenDeployments', 'rds:DescribeDBInstances'],
      [rdsArn('deployment'), rdsArn('db')],
    ),
  );
  grant(
    ['switch-database'],
    allow(
      ['rds:SwitchoverBlueGreenDeployment', 'rds:PromoteReadReplica'],
      [rdsArn('deployment'), rdsArn('db')],
    ),
  );

  if (config.deployStacks.length > 0) {
    const stackArns = config.deployStacks.map((name) =>
      stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${name}/*` }),
    );
    grant(['start-deploy'], allow(['cloudformation:CreateStack', 'cloudformation:UpdateStack'], stackArns));
    grant(
      ['start-deploy', 'check-deploy'],
      allow(['cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents'], stackArns),
    );
    if (config.cloudFormationRoleArn) {
      grant(
        ['start-deploy'],
        allow(['iam:PassRole'], [config.cloudFormationRoleArn], {
          StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
        }),
      );
    }
  }

  const services = config.deployServices ?? [];
  if (services.length > 0) {
    const serviceArns = services.map((name) =>
      stack.formatArn({ service: 'ecs', resource: 'service', resourceName: name }),
    );
    grant(['start-deploy', 'check-deploy'], allow(['ecs:DescribeServices'], serviceArns));
    grant(['start-deploy'], allow(['ecs:UpdateService'], serviceArns));
    // DescribeTaskDefinition and RegisterTaskDefinition have no resource-level permissions.
    grant(['start-deploy', 'check-deploy'], allow(['ecs:DescribeTaskDefinition'], ['*']));
    grant(['start-deploy'], allow(['ecs:RegisterTaskDefinition'], ['*']));
    grant(
      ['start-deploy'],
      allow(
        ['ecs:TagResource'],
        [stack.formatArn({ service: 'ecs', resource: 'task-definition', resourceName: '*' })],
        { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      ),
    );
    if ((config.ecsTaskRoleArns ?? []).length > 0) {
      grant(
        ['start-deploy'],
        allow(['iam:PassRole'], [...(config.ecsTaskRoleArns ?? [])], {
          StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
        }),
      );
    }
  }
}
