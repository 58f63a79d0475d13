import type { AuditLog, AuditRecord } from '../../ports/audit-log';
import type { CutoverEvent, Notifier } from '../../ports/notifier';

/** Audit records and notifications kept in memory, for the rehearsal's report and for tests. */
export class MemoryJournal implements AuditLog, Notifier {
  readonly audit: AuditRecord[] = [];
  readonly events: CutoverEvent[] = [];

  constructor(private readonly onEvent?: (event: CutoverEvent) => void) {}

  async write(record: AuditRecord): Promise<void> {
    this.audit.push(record);
  }

  async notify(event: CutoverEvent): Promise<void> {
    this.events.push(event);
    this.onEvent?.(event);
  }
}
