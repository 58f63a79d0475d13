import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AwsTargetResolver } from '../../adapters/aws/aws-target-resolver';
import { DynamoDbRunbookAudit } from '../../adapters/aws/dynamodb-runbook-audit';
import { SnsNotifier } from '../../adapters/aws/sns-notifier';
import { SsmCommandRunner } from '../../adapters/aws/ssm-command-runner';
import type { RunbookPorts } from '../../workflow/runbook/ports';

/** Where the runbook functions find their table, topic and the log group of command outputs. */
export const RUNBOOK_ENV = {
  auditTable: 'CUTOVER_RUNBOOK_AUDIT_TABLE',
  topic: 'CUTOVER_RUNBOOK_TOPIC',
  outputLogGroup: 'CUTOVER_RUNBOOK_OUTPUT_LOG_GROUP',
} as const;

let ports: RunbookPorts | undefined;

/** Real AWS adapters, built once per Lambda container; each client is created on first use. */
export async function awsRunbookPorts(): Promise<RunbookPorts> {
  ports ??= build(process.env);
  return ports;
}

function build(env: NodeJS.ProcessEnv): RunbookPorts {
  const table = env[RUNBOOK_ENV.auditTable];
  const topic = env[RUNBOOK_ENV.topic];
  if (!table || !topic) {
    throw new Error(`environment variables ${RUNBOOK_ENV.auditTable} and ${RUNBOOK_ENV.topic} must be set`);
  }
  let ssm: SSMClient | undefined;
  const ssmClient = () => (ssm ??= new SSMClient({}));
  let targets: AwsTargetResolver | undefined;
  let commands: SsmCommandRunner | undefined;
  let audit: DynamoDbRunbookAudit | undefined;
  let notifier: SnsNotifier | undefined;
  return {
    get targets() {
      return (targets ??= new AwsTargetResolver(ssmClient(), new ECSClient({})));
    },
    get commands() {
      return (commands ??= new SsmCommandRunner(ssmClient(), env[RUNBOOK_ENV.outputLogGroup]));
    },
    get audit() {
      return (audit ??= new DynamoDbRunbookAudit(
        DynamoDBDocumentClient.from(new DynamoDBClient({}), {
          marshallOptions: { removeUndefinedValues: true },
        }),
        table,
      ));
    },
    get notifier() {
      return (notifier ??= new SnsNotifier(new SNSClient({}), topic));
    },
    now: () => new Date(),
  };
}
