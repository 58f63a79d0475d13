import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditLog, AuditRecord } from '../../ports/audit-log';
import { rethrowAwsError } from './aws-errors';
import { ItemPrefix } from './control-table-keys';
import { withSignal } from './send-options';

/** Audit records under pk `AUDIT#<plan>`, sorted by time (sk `<at>#<execution>`). */
export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async write(record: AuditRecord, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `${ItemPrefix.audit}${record.plan}`,
            sk: `${record.at}#${record.execution}`,
            ...record,
          },
          // Append-only: a retried step writes the same key, and the record already there stands.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
        withSignal(signal),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      rethrowAwsError(error);
    }
  }
}
