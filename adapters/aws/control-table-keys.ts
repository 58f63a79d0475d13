/**
 * The control table's key layout, shared by its adapters and by the stack that creates it: one home,
 * so the index the watcher queries is the index the table has, and the items a role's policy allows
 * (by partition key prefix, `dynamodb:LeadingKeys`) are the items its adapter writes.
 */
export const PENDING_INDEX = 'pending';

/** Partition key prefixes: one kind of item each. */
export const ItemPrefix = {
  /** A record lock: `LOCK#<zone>#<record>`. */
  lock: 'LOCK#',
  /** An execution's control record (rollback request, pending wait): `EXEC#<execution>`. */
  control: 'EXEC#',
  /** The audit log of a plan: `AUDIT#<plan>`. */
  audit: 'AUDIT#',
  /**
   * An outcome by plan promotion digest: `PROMOTION#<digest>` (sk `<execution>#<outcome>`), the only
   * items the environment above may read (see lib/promotion-reader.ts).
   */
  promotion: 'PROMOTION#',
  /** A runbook's runs: `RUNBOOK#<runbook>` (sk `RUN#<startedAt>#<runId>`). */
  runbook: 'RUNBOOK#',
  /** The health watcher's lease: `WATCHER#lease`. */
  watcher: 'WATCHER#',
} as const;
export type ItemKind = keyof typeof ItemPrefix;

/** The table's key attributes and the pending index's: every attribute-scoped policy must name them. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'pendingKind'] as const;

/** A control table's ARN, as the environment above names it (region, account, table name). */
export const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})$/;
