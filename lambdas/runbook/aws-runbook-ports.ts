import type { RunbookPorts } from '../../workflow/runbook/ports';
import { STEP_ENV } from '../../workflow/step-environment';
import { deferred, onceAsync } from '../wiring/deferred';
import { requiredEnv } from '../wiring/environment';
import { notifier } from '../wiring/sns';

/** Besides the control table and events topic: where SSM writes each invocation's full output. */
export const RUNBOOK_ENV = { outputLogGroup: 'CUTOVER_RUNBOOK_OUTPUT_LOG_GROUP' } as const;

const ssm = onceAsync(async () => new (await import('@aws-sdk/client-ssm')).SSMClient({}));

let ports: RunbookPorts | undefined;

/**
 * The runbook steps' AWS adapters, made once per container; each adapter and its SDK package load on
 * the port's first call, so a step loads only what it uses.
 */
export async function awsRunbookPorts(): Promise<RunbookPorts> {
  ports ??= {
    targets: deferred(async () => {
      const [{ ECSClient }, { AwsTargetResolver }] = await Promise.all([
        import('@aws-sdk/client-ecs'),
        import('../../adapters/aws/aws-target-resolver.js'),
      ]);
      return new AwsTargetResolver(await ssm(), new ECSClient({}));
    }),
    commands: deferred(async () => {
      const { SsmCommandRunner } = await import('../../adapters/aws/ssm-command-runner.js');
      return new SsmCommandRunner(await ssm(), process.env[RUNBOOK_ENV.outputLogGroup]);
    }),
    audit: deferred(async () => {
      const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { DynamoDbRunbookAudit }] = await Promise.all([
        import('@aws-sdk/client-dynamodb'),
        import('@aws-sdk/lib-dynamodb'),
        import('../../adapters/aws/dynamodb-runbook-audit.js'),
      ]);
      const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
        marshallOptions: { removeUndefinedValues: true },
      });
      return new DynamoDbRunbookAudit(documents, requiredEnv(STEP_ENV.controlTable));
    }),
    notifier: notifier(),
    now: () => new Date(),
  };
  return ports;
}
