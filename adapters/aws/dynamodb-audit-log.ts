import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditEvent, type AuditLog, type AuditRecord } from '../../ports/audit-log';
import { putNew } from './conditional-write';
import { ItemPrefix } from './control-table-keys';

/**
 * Audit records under pk `AUDIT#<plan>`, one per execution and event (sk `<execution>#<outcome>`):
 * a retried step writes the same key, so it never duplicates a record (its `at` would differ). A record
 * with a promotion digest is also kept, with no more than the environment above needs (execution,
 * outcome, time), under pk `PROMOTION#<digest>`, the one item kind that environment may read.
 */
export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async write(record: AuditRecord, signal?: AbortSignal): Promise<void> {
    const sk = auditEvent(record);
    await this.append({ pk: `${ItemPrefix.audit}${record.plan}`, sk, ...record }, signal);
    if (record.promotionDigest) {
      const { plan, execution, outcome, at } = record;
      await this.append(
        { pk: `${ItemPrefix.promotion}${record.promotionDigest}`, sk, plan, execution, outcome, at },
        signal,
      );
    }
  }

  /** Append-only: a retried step writes the same key, and the item already there stands. */
  private async append(item: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
    await putNew(this.client, this.tableName, item, signal);
  }
}
