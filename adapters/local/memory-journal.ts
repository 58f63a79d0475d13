import { auditEvent, type AuditLog, type AuditRecord } from '../../ports/audit-log';
import type { CutoverEvent, Notifier } from '../../ports/notifier';

/** Audit records and notifications kept in memory, for the rehearsal's report and for tests. */
export class MemoryJournal implements AuditLog, Notifier {
  readonly audit: AuditRecord[] = [];
  readonly events: CutoverEvent[] = [];

  constructor(private readonly onEvent?: (event: CutoverEvent) => void) {}

  /** Like the DynamoDB log: one record per execution and event; a retried write keeps the first. */
  async write(record: AuditRecord): Promise<void> {
    if (this.audit.some((written) => auditEvent(written) === auditEvent(record))) return;
    this.audit.push(record);
  }

  async notify(event: CutoverEvent): Promise<void> {
    this.events.push(event);
    this.onEvent?.(event);
  }
}
