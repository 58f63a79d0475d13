import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { STEP_ENV as ENV } from '../workflow/step-environment';
import {
  STEP_LAMBDA_TIMEOUT,
  WATCHER_LAMBDA_TIMEOUT,
  type StepLambdaFunctions,
} from '../state-machines/fragments/invoke-step';
import { STEP_NAMES, STEPS, type StepName } from '../workflow/registry';
import type { FinalizeScheduling } from './finalize-scheduling';
import type { OrchestratorConfig } from './orchestrator-config';
import { DATABASE_STEP_ENVIRONMENT, DATABASE_STEPS, type DatabaseNetwork } from './database-network';

export interface StepLambdasProps {
  readonly config: OrchestratorConfig;
  readonly tableName: string;
  readonly topicArn: string;
  /** The health watcher's EventBridge rule, which start-bake and the watcher turn on and off. */
  readonly watcherRuleName: string;
  /** Where the steps that connect to a database run. @default - outside any VPC */
  readonly databaseNetwork?: DatabaseNetwork;
}

/** `set-weights` → `setWeights`: the step's construct ids. */
export function camelCase(step: StepName): string {
  return step.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * One Lambda function per workflow step, each from its own bundle (lambdas/steps/<step>.ts, carrying
 * only the SDK clients its ports use) and with its own role and log group, so that every permission
 * is granted to exactly the steps that need it.
 */
export class StepLambdas extends Construct {
  readonly functions: StepLambdaFunctions;
  readonly roles: Readonly<Record<StepName, iam.Role>>;
  private readonly created = new Map<StepName, NodejsFunction>();

  constructor(scope: Construct, id: string, props: StepLambdasProps) {
    super(scope, id);
    const functions = {} as Record<StepName, lambda.IFunction>;
    const roles = {} as Record<StepName, iam.Role>;
    for (const step of STEP_NAMES) {
      const logGroup = new logs.LogGroup(this, `${camelCase(step)}Logs`, {
        retention: logs.RetentionDays.THREE_MONTHS,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = new iam.Role(this, `${camelCase(step)}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `cutover step ${step}`,
      });
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      );
      const database = DATABASE_STEPS.includes(step);
      const network = database ? props.databaseNetwork : undefined;
      network?.grantNetworkInterfaces(role);
      const fn = new NodejsFunction(this, camelCase(step), {
        ...network?.functionProps,
        entry: join(__dirname, '..', 'lambdas', 'steps', `${step}.ts`),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout: step === 'watch-bakes' ? WATCHER_LAMBDA_TIMEOUT : STEP_LAMBDA_TIMEOUT,
        tracing: lambda.Tracing.ACTIVE,
        role,
        logGroup,
        description: `cutover workflow step: ${step}`,
        environment: {
          [ENV.step]: step,
          [ENV.controlTable]: props.tableName,
          [ENV.eventsTopic]: props.topicArn,
          [ENV.allowedZones]: Stack.of(this).toJsonString(props.config.allowedZones),
          [ENV.allowedProbeTargets]: JSON.stringify(props.config.allowedProbeTargets ?? []),
          [ENV.watcherRule]: props.watcherRuleName,
          [ENV.notificationTopics]: JSON.stringify(props.config.notificationTopicArns ?? []),
          ...(props.config.cloudFormationRoleArn
            ? { [ENV.cloudFormationRole]: props.config.cloudFormationRoleArn }
            : {}),
          ...(database ? DATABASE_STEP_ENVIRONMENT : {}),
          POWERTOOLS_SERVICE_NAME: 'cutover',
          POWERTOOLS_METRICS_NAMESPACE: 'Cutover',
        },
        bundling: {
          minify: true,
          target: 'node24',
          format: OutputFormat.CJS,
          // The runtime ships the AWS SDK v3; pg's optional native binding is never used.
          externalModules: ['@aws-sdk/*', 'pg-native'],
        },
      });
      functions[step] = fn;
      this.created.set(step, fn);
      roles[step] = role;
    }
    this.functions = functions;
    this.roles = roles;
  }

  /**
   * Tells every step the web console's URL, for notifications' links. Set once the operator API exists:
   * the functions then depend on the HTTP API resource only, not on its function (which needs the
   * state machine, which needs these functions), so there is no dependency cycle.
   */
  linkConsole(consoleUrl: string): void {
    for (const fn of this.created.values()) fn.addEnvironment(ENV.consoleUrl, consoleUrl);
  }

  /**
   * Tells the steps that create finalize schedules (those declaring access to them) where and how: the
   * schedule group, the finalize function the schedules invoke, the role Scheduler invokes it with, and
   * the queue that keeps what could not be delivered.
   */
  linkFinalizeScheduling(scheduling: FinalizeScheduling): void {
    for (const [step, fn] of this.created) {
      if (!STEPS[step].access.some((access) => access.target === 'finalize-schedules')) continue;
      fn.addEnvironment(ENV.finalizeScheduleGroup, scheduling.group.scheduleGroupName);
      fn.addEnvironment(ENV.finalizeFunction, this.functions.finalize.functionArn);
      fn.addEnvironment(ENV.finalizeSchedulerRole, scheduling.role.roleArn);
      fn.addEnvironment(ENV.finalizeFailures, scheduling.failures.queueArn);
    }
  }
}
