import type { Ports } from '../../workflow/ports';
import { STEP_ENV } from '../../workflow/step-environment';
import { deferred, onceAsync } from './deferred';
import { requiredEnv } from './environment';

const documents = onceAsync(async () => {
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
  ]);
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
});
const table = () => requiredEnv(STEP_ENV.controlTable);

export const control = (): Ports['control'] =>
  deferred(async () => {
    const { DynamoDbControlSignals } = await import('../../adapters/aws/dynamodb-control-signals.js');
    return new DynamoDbControlSignals(await documents(), table());
  });

export const lock = (): Ports['lock'] =>
  deferred(async () => {
    const { DynamoDbMigrationLock } = await import('../../adapters/aws/dynamodb-migration-lock.js');
    return new DynamoDbMigrationLock(await documents(), table());
  });

export const audit = (): Ports['audit'] =>
  deferred(async () => {
    const { DynamoDbAuditLog } = await import('../../adapters/aws/dynamodb-audit-log.js');
    return new DynamoDbAuditLog(await documents(), table());
  });
