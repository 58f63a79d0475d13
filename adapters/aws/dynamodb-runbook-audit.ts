import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunbookAudit, RunbookRunRecord } from '../../ports/runbook-audit';
import { rethrowAwsError } from './aws-errors';
import { putNew } from './conditional-write';
import { ItemPrefix } from './control-table-keys';
import { withSignal } from './send-options';

/** How long a claim on a scheduled time is kept: far longer than any schedule retries. */
const CLAIM_SECONDS = 7 * 86_400;

/**
 * Runbook runs in the control table under pk `RUNBOOK#<name>`: runs at sk `RUN#<startedAt>#<runId>`,
 * claims of scheduled times at sk `SCHEDULED#<time>` (expiring).
 */
export class DynamoDbRunbookAudit implements RunbookAudit {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(run: RunbookRunRecord, signal?: AbortSignal): Promise<void> {
    await this.put(
      { pk: `${ItemPrefix.runbook}${run.runbook}`, sk: `RUN#${run.startedAt}#${run.runId}`, ...run },
      signal,
    );
  }

  async claimScheduledTime(
    runbook: string,
    scheduledTime: string,
    runId: string,
    signal?: AbortSignal,
  ): Promise<boolean> {
    return this.put(
      {
        pk: `${ItemPrefix.runbook}${runbook}`,
        sk: `SCHEDULED#${scheduledTime}`,
        runId,
        expiresAt: Math.floor(Date.now() / 1000) + CLAIM_SECONDS,
      },
      signal,
    );
  }

  async history(runbook: string, limit: number, signal?: AbortSignal): Promise<RunbookRunRecord[]> {
    const response = await this.client
      .send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
          ExpressionAttributeValues: { ':pk': `${ItemPrefix.runbook}${runbook}`, ':run': 'RUN#' },
          ScanIndexForward: false,
          Limit: limit,
        }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
    return (response.Items ?? []).map(({ pk: _pk, sk: _sk, ...run }) => run as unknown as RunbookRunRecord);
  }

  /** Append-only: false when the key is already there (a retried step, or a duplicate run). */
  private put(item: Record<string, unknown>, signal?: AbortSignal): Promise<boolean> {
    return putNew(this.client, this.tableName, item, signal);
  }
}
