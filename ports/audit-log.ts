export interface AuditRecord {
  readonly plan: string;
  readonly execution: string;
  readonly outcome: 'completed' | 'rolled_back' | 'failed';
  readonly phase: string;
  readonly cause?: string;
  readonly at: string;
  /** The plan's promotion digest: the record is also kept under it, for the environment above. */
  readonly promotionDigest?: string;
}

/** Append-only record of every cutover's outcome; idempotent per execution and event. */
export interface AuditLog {
  write(record: AuditRecord, signal?: AbortSignal): Promise<void>;
}

/** What makes an audit record unique: the execution and the event it records (its outcome). */
export function auditEvent(record: Pick<AuditRecord, 'execution' | 'outcome'>): string {
  return `${record.execution}#${record.outcome}`;
}
