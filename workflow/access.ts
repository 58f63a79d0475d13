import { DECISION_ATTRIBUTES } from '../ports/decision-log';

/**
 * What a step needs from AWS, declared beside its code: IAM actions on a resource the stack provides.
 * `lib/step-permissions.ts` turns each declaration into a policy statement on that step's role, so a
 * step's permissions change in the same commit as what it does. The operator API, the promotion reader
 * and the operators' policy are granted from the same declarations.
 */
export type AccessTarget =
  /** The control table: locks, control records, audit records. */
  | 'control-table'
  /** The control table's index of executions waiting on something. */
  | 'pending-index'
  | 'events-topic'
  /** The cutover state machine, whose task tokens the health watcher answers. */
  | 'state-machine'
  /** The health watcher's EventBridge rule, on only while a bake is pending. */
  | 'watcher-schedule'
  /** The schedule group of the finalize schedules (one per completed execution). */
  | 'finalize-schedules'
  /** The role EventBridge Scheduler invokes the finalize step with (iam:PassRole, to Scheduler only). */
  | 'finalize-scheduler-role'
  /** The allowed hosted zones (read). */
  | 'hosted-zones'
  /** The allowed records of the allowed hosted zones (UPSERT only). */
  | 'allowed-records'
  | 'dns-changes'
  | 'health-checks'
  | 'alarms'
  /** CloudWatch metrics: GetMetricData has no resource-level permissions. */
  | 'metrics'
  | 'database-secrets'
  /** The RDS Blue/Green deployments this orchestrator may switch over (`cutover:rdsBlueGreenDeployments`). */
  | 'rds-deployments'
  /** The RDS DB instances it may read and promote (`cutover:rdsInstances`): read-replica sources and replicas. */
  | 'rds-instances'
  /**
   * The members of those Blue/Green deployments: RDS names the green instances itself and renames both
   * sides at switchover, so AWS documents only `db:*` for them (granted only with a deployment configured).
   */
  | 'rds-blue-green-members'
  | 'deploy-stacks'
  /** AWS-owned transforms a green template may use (CreateChangeSet with CAPABILITY_AUTO_EXPAND). */
  | 'stack-transforms'
  /** The service role CloudFormation deploys with (iam:PassRole, to CloudFormation only). */
  | 'cloudformation-role'
  /** The green ECS services the deploy step may update. */
  | 'deploy-services'
  /** Task definitions (read and register): ECS offers no resource-level permissions for these. */
  | 'task-definitions'
  /** A task definition revision being registered (tagging it as it is created). */
  | 'new-task-definitions'
  /** The task and execution roles a new revision passes on (iam:PassRole, to ECS tasks only). */
  | 'ecs-task-roles'
  /** Runbooks (lib/runbooks grants these): Systems Manager calls without resource-level permissions. */
  | 'ssm-fleet'
  /** Runbooks: their SSM Command documents. */
  | 'runbook-documents'
  /** Runbooks: managed instances tagged cutover-runbooks=enabled. */
  | 'runbook-instances'
  /** Runbooks: the tasks and container instances of the ECS clusters runbooks target. */
  | 'runbook-ecs';

/** The kinds of item in the control table: locks, execution control records, audit records (by plan and by promotion digest). */
export type ControlItem = 'lock' | 'control' | 'audit' | 'promotion' | 'runbook' | 'watcher';

export interface Access {
  readonly target: AccessTarget;
  readonly actions: readonly string[];
  /** Control table only: the one kind of item allowed (by partition key, `dynamodb:LeadingKeys`). */
  readonly items?: ControlItem;
  /** Control table only: the only attributes written (besides the keys), `dynamodb:Attributes`. */
  readonly attributes?: readonly string[];
}

const on = (target: AccessTarget, ...actions: string[]): Access => ({ target, actions });
/** Access to one kind of control-table item, optionally to some of its attributes only. */
const onItems = (items: ControlItem, actions: string[], attributes?: string[]): Access => ({
  target: 'control-table',
  actions,
  items,
  ...(attributes ? { attributes } : {}),
});

/** What each port capability needs; steps list the ones they use. */
export const Needs = {
  /** ensureNoRollback: reads the execution's control record. */
  readControl: [onItems('control', ['dynamodb:GetItem'])],
  acquireLocks: [onItems('lock', ['dynamodb:PutItem', 'dynamodb:DeleteItem'])],
  releaseLocks: [onItems('lock', ['dynamodb:DeleteItem'])],
  /** Extends the lease: its expiry only, on the condition that the execution still owns the lock. */
  renewLocks: [onItems('lock', ['dynamodb:UpdateItem'], ['owner', 'expiresAt'])],
  /** Registers a wait: writes the pending wait, never the operator's rollback request. */
  setPending: [onItems('control', ['dynamodb:UpdateItem'], ['pending'])],
  watchPending: [
    on('pending-index', 'dynamodb:Query'),
    onItems('control', ['dynamodb:GetItem']),
    onItems('control', ['dynamodb:UpdateItem'], ['pending']),
  ],
  answerTasks: [on('state-machine', 'states:SendTaskSuccess', 'states:SendTaskFailure')],
  /** One watcher at a time: its lease item, and nothing else. */
  watcherLease: [onItems('watcher', ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'])],
  /** Registering a bake turns the watcher's schedule on. */
  wakeWatcher: [on('watcher-schedule', 'events:EnableRule')],
  /** The watcher turns its schedule off once no bake is pending (and on again if one appeared). */
  switchWatcher: [on('watcher-schedule', 'events:EnableRule', 'events:DisableRule')],
  /** A one-time schedule that runs the finalize step when blue's retention ends. */
  scheduleFinalize: [
    on('finalize-schedules', 'scheduler:CreateSchedule'),
    on('finalize-scheduler-role', 'iam:PassRole'),
  ],
  /** Appends audit records (by plan and by promotion digest): no other role may put, update or delete one. */
  writeAudit: [onItems('audit', ['dynamodb:PutItem']), onItems('promotion', ['dynamodb:PutItem'])],
  /** A runbook run's record: append-only, its runbook's items only. */
  writeRunbookAudit: [onItems('runbook', ['dynamodb:PutItem'])],
  notify: [on('events-topic', 'sns:Publish')],
  /** The operator API: an execution's control record and its decisions (a Query of its partition). */
  readExecution: [onItems('control', ['dynamodb:GetItem', 'dynamodb:Query'])],
  /** The operator API: requests a rollback, or removes the wait it answered; no other attribute. */
  signalExecution: [onItems('control', ['dynamodb:UpdateItem'], ['rollback', 'pending'])],
  /** The operator API: appends an operator's decision (who, what, why) as a new item. */
  recordDecisions: [onItems('control', ['dynamodb:PutItem'], [...DECISION_ATTRIBUTES])],
  /** The environment above reads which plans completed here (the promotion order). */
  readPromotions: [onItems('promotion', ['dynamodb:Query'])],
  /** Operators (`cutover runbook history`) read the runbook runs, and nothing else of the table. */
  readRunbookRuns: [onItems('runbook', ['dynamodb:Query'])],
  readRecords: [on('hosted-zones', 'route53:ListResourceRecordSets')],
  changeRecords: [on('allowed-records', 'route53:ChangeResourceRecordSets')],
  checkChanges: [on('dns-changes', 'route53:GetChange')],
  probeHealth: [
    on('health-checks', 'route53:GetHealthCheckStatus'),
    on('alarms', 'cloudwatch:DescribeAlarms'),
  ],
  useDatabase: [
    on('database-secrets', 'secretsmanager:GetSecretValue'),
    on('rds-deployments', 'rds:DescribeBlueGreenDeployments'),
    on('rds-instances', 'rds:DescribeDBInstances'),
  ],
  readReplicaLag: [on('metrics', 'cloudwatch:GetMetricData')],
  // As AWS documents it: a Blue/Green switchover needs SwitchoverBlueGreenDeployment on the deployment
  // and ModifyDBInstance and PromoteReadReplica on its members; a read replica, PromoteReadReplica.
  switchDatabase: [
    on('rds-deployments', 'rds:SwitchoverBlueGreenDeployment'),
    on('rds-blue-green-members', 'rds:ModifyDBInstance', 'rds:PromoteReadReplica'),
    on('rds-instances', 'rds:PromoteReadReplica'),
  ],
  startStack: [
    on(
      'deploy-stacks',
      'cloudformation:CreateChangeSet',
      'cloudformation:ExecuteChangeSet',
      'cloudformation:CancelUpdateStack',
    ),
    on('stack-transforms', 'cloudformation:CreateChangeSet'),
    on('cloudformation-role', 'iam:PassRole'),
  ],
  watchStack: [
    on(
      'deploy-stacks',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeChangeSet',
      'cloudformation:ExecuteChangeSet',
    ),
  ],
  cancelStack: [on('deploy-stacks', 'cloudformation:CancelUpdateStack')],
  startService: [
    on('deploy-services', 'ecs:DescribeServices', 'ecs:UpdateService'),
    on('task-definitions', 'ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'),
    on('new-task-definitions', 'ecs:TagResource'),
    on('ecs-task-roles', 'iam:PassRole'),
  ],
  watchService: [
    on('deploy-services', 'ecs:DescribeServices'),
    on('task-definitions', 'ecs:DescribeTaskDefinition'),
  ],
  /** Giving up on a deployment points the service back at the task definition it ran before. */
  rollBackService: [on('deploy-services', 'ecs:UpdateService')],
  resolveRunbookTargets: [
    on('ssm-fleet', 'ssm:DescribeInstanceInformation'),
    on('runbook-ecs', 'ecs:ListTasks', 'ecs:DescribeTasks', 'ecs:DescribeContainerInstances'),
  ],
  sendRunbookCommands: [
    on('runbook-documents', 'ssm:SendCommand'),
    on('runbook-instances', 'ssm:SendCommand'),
  ],
  readRunbookCommands: [on('ssm-fleet', 'ssm:ListCommandInvocations')],
} as const satisfies Record<string, readonly Access[]>;
