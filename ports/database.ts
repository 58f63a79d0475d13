export interface ReplicationLag {
  /** How far the target trails the source, in `unit`. */
  readonly amount: number;
  readonly unit: 'bytes' | 'seconds';
  /** False when replication is not running at all (stopped subscription, broken replica). */
  readonly streaming: boolean;
}

export interface ReplicationMonitor {
  lag(signal?: AbortSignal): Promise<ReplicationLag>;
}

/**
 * A target that replays its source's WAL (a physical read replica): it has caught up once it has replayed
 * past the source's WAL position taken after the freeze, which no clock-based metric can tell.
 */
export interface WalCatchUp {
  /** The source's current WAL position (`pg_current_wal_lsn()`), e.g. `0/3000148`. */
  sourcePosition(signal?: AbortSignal): Promise<string>;
  /** How many WAL bytes the target's replay trails `position` by: 0 once it has replayed up to it. */
  lagBehind(position: string, signal?: AbortSignal): Promise<ReplicationLag>;
  /** What makes these positions no evidence about the target (not a standby of the source), one line each. */
  preflight(signal?: AbortSignal): Promise<string[]>;
}

/** A session the freeze was not allowed to end (e.g. a superuser's): it may still write. */
export interface UntouchedSession {
  readonly pid: number;
  readonly user: string;
}

export interface FreezeReport {
  readonly untouchedSessions: readonly UntouchedSession[];
}

/** Stops writes on the source, including sessions already open; always undone on the rollback path. */
export interface WriteFreeze {
  freeze(signal?: AbortSignal): Promise<FreezeReport>;
  unfreeze(signal?: AbortSignal): Promise<void>;
}

export interface SequenceSync {
  readonly sequence: string;
  readonly value: number;
}

/**
 * A primary-key range of one table, keys as text in key-column order: after `after` (exclusive; null:
 * from the first row) up to `upTo` (inclusive).
 */
export interface KeyRange {
  readonly table: string;
  readonly after: readonly string[] | null;
  readonly upTo: readonly string[];
}

/** Where a verification pass stands between invocations: the table it is in and the last key compared. */
export interface PassCursor {
  readonly table: string;
  readonly after: readonly string[] | null;
}

export interface ChunkPassRequest {
  readonly tables: readonly string[];
  /** Where to go on from; null starts at the first row of the first table. */
  readonly cursor: PassCursor | null;
  /** Source rows in the first chunk; later chunks adapt to the time they take. */
  readonly chunkSize: number;
  /** No chunk starts once this many milliseconds have gone. */
  readonly budgetMs: number;
}

export interface ChunkPassProgress {
  /** Where the next invocation goes on; null once every table has been compared. */
  readonly cursor: PassCursor | null;
  /** The adapted size for the next chunk. */
  readonly chunkSize: number;
  readonly chunks: number;
  readonly rows: number;
  /**
   * Ranges that still differed once narrowed down (replication lag, or real drift): small ranges,
   * checked again inside the freeze.
   */
  readonly differing: readonly KeyRange[];
}

export interface RecheckRequest {
  readonly tables: readonly string[];
  /** The source's transaction horizon when the pass began (see DataVerifier.startPass). */
  readonly since: string;
  readonly ranges: readonly KeyRange[];
}

export interface TableRecheck {
  readonly table: string;
  readonly sourceRows: number;
  readonly targetRows: number;
  /** Rows written on the source since the pass began, compared by primary key. */
  readonly changedRows: number;
  /** What still differs, e.g. "orders[42]" (a row by key), "orders[1..100]" (a range). */
  readonly differences: readonly string[];
}

/**
 * Checks that the target holds the same data as the source. While replication runs, a pass compares
 * chunks in key order, one time budget at a time; inside the write freeze only what may have changed
 * since is checked again, so the freeze does not grow with the tables.
 */
export interface DataVerifier {
  /** Copies sequence positions to the target (logical replication does not carry them). */
  syncSequences(signal?: AbortSignal): Promise<SequenceSync[]>;
  /**
   * The source's oldest transaction still running, as a decimal 64-bit id: a row written by it or a
   * later one may postdate what a pass starting now compares.
   */
  startPass(signal?: AbortSignal): Promise<string>;
  /** Compares chunks from the cursor on until the budget is spent; differences are reported, not thrown. */
  compareChunks(request: ChunkPassRequest, signal?: AbortSignal): Promise<ChunkPassProgress>;
  /**
   * With writes frozen and the target caught up: the rows written since the pass began (by key), the
   * ranges that differed, and each table's row count (which catches deletions).
   */
  recheck(request: RecheckRequest, signal?: AbortSignal): Promise<TableRecheck[]>;
}

/** What the teardown found and did: the subscription on the target, its replication slot on the source. */
export interface TeardownReport {
  readonly subscription: 'dropped' | 'absent';
  /** `unreachable`: the source could not be reached (blue decommissioned), so neither can its slot be. */
  readonly slot: 'dropped' | 'absent' | 'unreachable';
  readonly slotName: string;
}

/** Once blue is no longer kept, removes the replication that fed green from it. Idempotent. */
export interface ReplicationTeardown {
  tearDown(signal?: AbortSignal): Promise<TeardownReport>;
}

/** Where a switch stands: `status` is the database's own word for it (e.g. SWITCHOVER_IN_PROGRESS). */
export interface SwitchProgress {
  readonly done: boolean;
  readonly status: string;
}

/**
 * Makes the target the database of record: the point of no return. A switch can take many minutes
 * (RDS promotion, Blue/Green switchover), so no call waits: the first (no `previous`) starts it, later
 * calls, given what the last one reported, say where it stands. Throws SwitchoverFailed when it failed.
 */
export interface DatabaseSwitch {
  switchOver(previous: SwitchProgress | undefined, signal?: AbortSignal): Promise<SwitchProgress>;
}
