import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CloudFormationDeployer } from '../adapters/aws/cloudformation-deployer';
import { EventBridgeWatcherSchedule } from '../adapters/aws/eventbridge-watcher-schedule';
import { DynamoDbAuditLog } from '../adapters/aws/dynamodb-audit-log';
import { DynamoDbControlSignals } from '../adapters/aws/dynamodb-control-signals';
import { DynamoDbMigrationLock } from '../adapters/aws/dynamodb-migration-lock';
import { EcsDeployer } from '../adapters/aws/ecs-deployer';
import { RdsBlueGreen } from '../adapters/aws/rds-blue-green';
import { RdsReadReplica } from '../adapters/aws/rds-read-replica';
import { Route53TrafficRouter } from '../adapters/aws/route53-traffic-router';
import { SfnTaskCallbacks } from '../adapters/aws/sfn-task-callbacks';
import { SnsNotifier } from '../adapters/aws/sns-notifier';
import { planProbes } from '../adapters/plan-probes';
import { PostgresReplication } from '../adapters/postgres/postgres-replication';
import { PostgresSessions } from '../adapters/postgres/postgres-sessions';
import { SecretConnectionLoader } from '../adapters/postgres/secret-connection';
import { PostgresWriteFreeze } from '../adapters/postgres/write-freeze';
import { parseAllowedProbeTargets } from '../domain/plan/probe-target';
import { parseAllowedRecords } from '../domain/allowed-records';
import type { DatabasePorts, ExistingDatabase, Ports } from '../workflow/ports';
import { STEP_ENV as ENV } from '../workflow/step-environment';
import { verifyOnlyDeployer } from '../workflow/verify-only-deployer';

let ports: Ports | undefined;

/** Real AWS adapters, built once per Lambda container from the stack's environment. */
export async function awsPorts(): Promise<Ports> {
  ports ??= buildAwsPorts(process.env);
  return ports;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

function buildAwsPorts(env: NodeJS.ProcessEnv): Ports {
  const table = required(env, ENV.controlTable);
  const cloudFormationRole = env[ENV.cloudFormationRole];
  const watcherRule = env[ENV.watcherRule];
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const route53 = new Route53Client({});
  const cloudwatch = new CloudWatchClient({});
  const rds = new RDSClient({});
  const secrets = new SecretConnectionLoader(new SecretsManagerClient({}), {
    ssl: { rejectUnauthorized: true },
    connectionTimeoutMillis: 5000,
  });
  const ports: Ports = {
    traffic: new Route53TrafficRouter(route53),
    lock: new DynamoDbMigrationLock(documents, table),
    control: new DynamoDbControlSignals(documents, table),
    callbacks: new SfnTaskCallbacks(new SFNClient({})),
    notifier: new SnsNotifier(new SNSClient({}), required(env, ENV.eventsTopic)),
    audit: new DynamoDbAuditLog(documents, table),
    allowedZones: parseAllowedRecords(JSON.parse(required(env, ENV.allowedZones))),
    allowedProbeTargets: parseAllowedProbeTargets(
      JSON.parse(env[ENV.allowedProbeTargets] ?? '[]'),
      ENV.allowedProbeTargets,
    ),
    ...(watcherRule
      ? { watcherSchedule: new EventBridgeWatcherSchedule(new EventBridgeClient({}), watcherRule) }
      : {}),
    allowedNotificationTopics: JSON.parse(env[ENV.notificationTopics] ?? '[]') as string[],
    now: () => new Date(),
    healthProbes: (probes) => planProbes(probes, { cloudwatch, route53 }),
    deployer: (deploy, probes) => {
      switch (deploy.kind) {
        case 'cloudformation':
          return new CloudFormationDeployer(new CloudFormationClient({}), {
            ...deploy,
            ...(cloudFormationRole ? { roleArn: cloudFormationRole } : {}),
          });
        case 'ecs':
          return new EcsDeployer(new ECSClient({}), deploy);
        case 'none':
          return verifyOnlyDeployer(ports, probes);
      }
    },
    database: (db) => databasePorts(db, { secrets, rds, cloudwatch }),
  };
  return ports;
}

async function databasePorts(
  db: ExistingDatabase,
  clients: { secrets: SecretConnectionLoader; rds: RDSClient; cloudwatch: CloudWatchClient },
): Promise<DatabasePorts> {
  switch (db.kind) {
    case 'postgres-logical': {
      const [source, target] = await Promise.all([
        clients.secrets.load(db.sourceSecretArn),
        clients.secrets.load(db.targetSecretArn),
      ]);
      const replication = new PostgresReplication({
        source,
        target,
        subscription: db.subscription,
        publication: db.publication,
      });
      return {
        monitor: replication,
        switch: replication,
        freeze: replication,
        verifier: replication,
        close: () => replication.close(),
      };
    }
    case 'rds-read-replica': {
      const replica = new RdsReadReplica(clients.rds, clients.cloudwatch, {
        replicaInstanceId: db.replicaInstanceId,
      });
      const sessions = new PostgresSessions(await clients.secrets.load(db.sourceSecretArn));
      return {
        monitor: replica,
        switch: replica,
        freeze: new PostgresWriteFreeze(sessions),
        close: () => sessions.close(),
      };
    }
    case 'rds-blue-green': {
      const blueGreen = new RdsBlueGreen(clients.rds, clients.cloudwatch, {
        blueGreenDeploymentId: db.blueGreenDeploymentId,
        switchoverTimeoutSeconds: db.switchoverTimeoutSeconds,
      });
      return { monitor: blueGreen, switch: blueGreen, close: async () => undefined };
    }
  }
}
