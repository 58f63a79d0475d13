import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { dirname, join } from 'node:path';
import { OPERATOR_BACKEND_ACCESS } from '../operator-api/backend';
import { OPERATOR_ENV } from '../operator-api/environment';
import { Needs } from '../workflow/access';
import type { PromotionConfig } from './promotion-config';
import { STACK_OUTPUTS } from './stack-outputs';
import { accessStatements } from './step-permissions';

export interface OperatorApiProps {
  readonly stateMachine: IStateMachine;
  readonly table: TableV2;
  /** The promotion order `cutover start` enforces. @default - none: plans start as they come */
  readonly promotion?: PromotionConfig;
}

/** Routes the console's pages and scripts come from: static, data-free, readable before signing in. */
export const CONSOLE_ASSET_ROUTES = ['/console', '/console/{file+}'] as const;

/**
 * The operator API: one Lambda (Hono) behind an HTTP API. CLI routes (/api/…) need IAM (SigV4) and the
 * OperatorPolicy; console routes (/console/api/…) need a Cognito user pool JWT. Operators never need
 * states:SendTask* nor a task token: the function answers the waits and records who and why.
 */
export class OperatorApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly operatorPolicy: iam.ManagedPolicy;
  readonly userPool: cognito.UserPool;
  readonly handler: NodejsFunction;
  /** The web console's base URL (…/console/); an execution's page is …/console/execution?name=<name>. */
  readonly consoleUrl: string;
  /** The unauthenticated routes: the console's static files only. */
  readonly consoleAssetRoutes: readonly apigw.HttpRoute[];

  constructor(scope: Construct, id: string, props: OperatorApiProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cutover operator API',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );

    this.userPool = new cognito.UserPool(this, 'Operators', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const domain = this.userPool.addDomain('Login', {
      cognitoDomain: { domainPrefix: `cutover-${Aws.ACCOUNT_ID}` },
    });

    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'cutover operator API and console',
    });
    const consoleUrl = `${this.api.apiEndpoint}/console/`;
    this.consoleUrl = consoleUrl;
    const client = this.userPool.addClient('Console', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });

    this.handler = new NodejsFunction(this, 'Handler', {
      entry: join(__dirname, '..', 'operator-api', 'lambda.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(25),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      description: 'cutover operator API and console',
      environment: {
        [OPERATOR_ENV.stateMachineArn]: props.stateMachine.stateMachineArn,
        [OPERATOR_ENV.controlTable]: props.table.tableName,
        [OPERATOR_ENV.cognitoDomain]: domain.baseUrl(),
        [OPERATOR_ENV.cognitoClientId]: client.userPoolClientId,
        ...promotionEnvironment(props.promotion),
      },
      bundling: {
        minify: true,
        target: 'node24',
        format: OutputFormat.CJS,
        externalModules: ['@aws-sdk/*'],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // The console's files and uPlot go beside the handler (see operator-api/console-assets.ts).
          afterBundling: (inputDir, outputDir) => [
            `mkdir -p ${outputDir}/console/vendor`,
            `cp ${inputDir}/operator-api/console/* ${outputDir}/console/`,
            `cp ${join(dirname(require.resolve('uplot/dist/uPlot.iife.min.js')), 'uPlot.{iife.min.js,min.css}')} ${outputDir}/console/vendor/`,
          ],
        },
      },
    });
    grantOperatorBackend(role, props);

    const integration = new HttpLambdaIntegration('Integration', this.handler);
    const iamAuthorizer = new HttpIamAuthorizer();
    const jwtAuthorizer = new HttpUserPoolAuthorizer('Console', this.userPool, {
      userPoolClients: [client],
    });
    this.api.addRoutes({
      path: '/api/{proxy+}',
      methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST],
      integration,
      authorizer: iamAuthorizer,
    });
    this.api.addRoutes({
      path: '/console/api/{proxy+}',
      methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST],
      integration,
      authorizer: jwtAuthorizer,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.consoleAssetRoutes = CONSOLE_ASSET_ROUTES.flatMap((path) =>
      this.api.addRoutes({
        path,
        methods: [apigw.HttpMethod.GET],
        integration,
        authorizer: new apigw.HttpNoneAuthorizer(),
      }),
    );
    const stage = this.api.defaultStage!.node.defaultChild as apigw.CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        caller: '$context.identity.userArn',
        user: '$context.authorizer.claims.sub',
        time: '$context.requestTime',
        method: '$context.httpMethod',
        path: '$context.path',
        status: '$context.status',
        error: '$context.authorizer.error',
      }),
    };
    stage.defaultRouteSettings = { throttlingRateLimit: 20, throttlingBurstLimit: 40 };
    this.operatorPolicy = new iam.ManagedPolicy(this, 'OperatorPolicy', {
      description:
        'cutover operators: call the operator API (start, watch, answer, roll back) and read runbook runs, nothing else',
      statements: [
        new iam.PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [
            Stack.of(this).formatArn({
              service: 'execute-api',
              resource: this.api.apiId,
              resourceName: '$default/*/api/*',
            }),
          ],
        }),
        // `cutover runbook history` reads the runbook runs, and only them, straight from the control table.
        ...Needs.readRunbookRuns.flatMap((access) => accessStatements(access, [props.table.tableArn])),
      ],
    });

    new CfnOutput(Stack.of(this), STACK_OUTPUTS.apiUrl, {
      value: this.api.apiEndpoint,
      description: 'operator API (the CLI finds it here)',
    });
    new CfnOutput(Stack.of(this), STACK_OUTPUTS.consoleUrl, {
      value: consoleUrl,
      description: 'web console',
    });
    new CfnOutput(Stack.of(this), STACK_OUTPUTS.operatorPolicy, {
      value: this.operatorPolicy.managedPolicyArn,
      description:
        'attach to the operators’ role: execute-api:Invoke on the operator API, runbook runs in the control table',
    });
    new CfnOutput(Stack.of(this), STACK_OUTPUTS.stateMachine, { value: props.stateMachine.stateMachineArn });
    new CfnOutput(Stack.of(this), STACK_OUTPUTS.table, { value: props.table.tableName });
    new CfnOutput(Stack.of(this), STACK_OUTPUTS.tableArn, {
      value: props.table.tableArn,
      description: 'for the environment above: its cutover:promotionSource.tableArn',
    });
  }
}

/** Where the function finds the promotion order (operator-api/promotion-from-environment.ts reads it). */
function promotionEnvironment(promotion: PromotionConfig | undefined): Record<string, string> {
  if (!promotion) return {};
  return {
    [OPERATOR_ENV.environments]: promotion.environments.join(','),
    [OPERATOR_ENV.environment]: promotion.environment,
    ...(promotion.source
      ? {
          [OPERATOR_ENV.promotionTableArn]: promotion.source.tableArn,
          [OPERATOR_ENV.promotionRoleArn]: promotion.source.roleArn,
        }
      : {}),
  };
}

/** What the operator API's function does on the operators' behalf, and nothing more. */
function grantOperatorBackend(role: iam.Role, props: OperatorApiProps): void {
  const stateMachineArn = props.stateMachine.stateMachineArn;
  const name = Fn.select(6, Fn.split(':', stateMachineArn));
  const executions = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${name}:*`;
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: [
        'states:StartExecution',
        'states:ListExecutions',
        'states:SendTaskSuccess',
        'states:SendTaskFailure',
      ],
      resources: [stateMachineArn],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
      resources: [executions],
    }),
  );
  // Control items and decisions of executions only (pk EXEC#…): never the locks nor the audit log.
  for (const access of OPERATOR_BACKEND_ACCESS) {
    for (const statement of accessStatements(access, [props.table.tableArn])) role.addToPolicy(statement);
  }
  // The promotion check reads the environment below as the one role its account lets this one assume.
  if (props.promotion?.source) {
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [props.promotion.source.roleArn] }),
    );
  }
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    }),
  );
}
