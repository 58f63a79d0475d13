export interface AuditRecord {
  readonly plan: string;
  readonly execution: string;
  readonly outcome: 'completed' | 'rolled_back' | 'failed';
  readonly phase: string;
  readonly cause?: string;
  readonly at: string;
}

/** Append-only record of every cutover's outcome. */
export interface AuditLog {
  write(record: AuditRecord, signal?: AbortSignal): Promise<void>;
}
