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

/** A row of a verified table, by its primary key as text in key-column order. */
export interface ChangedKey {
  readonly table: string;
  readonly key: readonly string[];
}

/** A table whose changes the change stream cannot give: re-checked whole inside the freeze, and why. */
export interface WholeTable {
  readonly table: string;
  readonly reason: string;
}

export interface PassStartRequest {
  /** The logical-decoding slot the pass reads the source's changes from (one per execution). */
  readonly slot: string;
  readonly tables: readonly string[];
  /** How long creating the slot may wait for transactions running on the source to end. */
  readonly waitMs: number;
}

/** Where a pass begins: every change committed on the source from then on is compared, once, by key. */
export interface PassStart {
  /** The WAL position from which the slot decodes every committed change. */
  readonly lsn: string;
  /**
   * The source's oldest transaction still running, as a decimal 64-bit id: the rows of a table re-checked
   * whole that were written by it or a later one may postdate what the pass compares.
   */
  readonly since: string;
  /** Tables the stream cannot follow (not published, published without deletes, filtered, ...). */
  readonly wholeTables: readonly WholeTable[];
}

export interface ChangeDrainRequest {
  readonly slot: string;
  readonly tables: readonly string[];
  /** The WAL position up to which changes were compared (what an earlier drain returned). */
  readonly from: string;
  /** Rows that differed last time: compared again. */
  readonly differing: readonly ChangedKey[];
  /** Tables re-checked whole in the freeze: their changes are not compared. */
  readonly wholeTables: readonly WholeTable[];
  /** No more changes are compared once this many milliseconds have gone. */
  readonly budgetMs: number;
}

export interface ChangeDrainProgress {
  /** The WAL position up to which every committed change has been compared: the next drain's `from`. */
  readonly drainedTo: string;
  /** True when the drain reached the source's WAL position of the moment it began. */
  readonly caughtUp: boolean;
  /** Rows compared (changed since the last drain, or differing before it). */
  readonly rows: number;
  /** Rows that still differ (replication lag, or real drift): carried to the next drain and the freeze. */
  readonly differing: readonly ChangedKey[];
  /** Tables the stream stopped vouching for in this drain (a TRUNCATE, a change without its key). */
  readonly wholeTables: readonly WholeTable[];
}

export interface RecheckRequest {
  readonly slot: string;
  readonly tables: readonly string[];
  readonly from: string;
  /** The source's transaction horizon when the pass began (see PassStart.since). */
  readonly since: string;
  readonly wholeTables: readonly WholeTable[];
  readonly differingRows: readonly ChangedKey[];
  readonly ranges: readonly KeyRange[];
}

export interface TableRecheck {
  readonly table: string;
  /** Rows compared by key: changed since the last drain, or differing before it. */
  readonly changedRows: number;
  /** Set when the table was re-checked whole: why, and both sides' row counts. */
  readonly wholeTable: {
    readonly reason: string;
    readonly sourceRows: number;
    readonly targetRows: number;
  } | null;
  /** What still differs, e.g. "orders[42]" (a row by key), "orders[1..100]" (a range). */
  readonly differences: readonly string[];
}

/**
 * Checks that the target holds the same data as the source. While replication runs, a pass compares
 * chunks in key order, one time budget at a time, and drains the source's change stream (a logical-
 * decoding slot), comparing each changed row by key. Inside the write freeze only the changes of the
 * last few seconds are left to compare, so the freeze does not grow with the tables.
 */
export interface DataVerifier {
  /** Copies sequence positions to the target (logical replication does not carry them). */
  syncSequences(signal?: AbortSignal): Promise<SequenceSync[]>;
  /**
   * Creates the pass's slot (or finds it, on a retry), waiting for transactions already running on the
   * source to end, and says which tables the stream cannot follow.
   */
  startPass(request: PassStartRequest, signal?: AbortSignal): Promise<PassStart>;
  /** Compares chunks from the cursor on until the budget is spent; differences are reported, not thrown. */
  compareChunks(request: ChunkPassRequest, signal?: AbortSignal): Promise<ChunkPassProgress>;
  /**
   * Compares the rows changed since `from`, and those that differed, until the budget is spent. Nothing
   * is lost when an invocation is retried: the slot only moves on to a position a later call is given.
   */
  drainChanges(request: ChangeDrainRequest, signal?: AbortSignal): Promise<ChangeDrainProgress>;
  /**
   * With writes frozen and the target caught up: the rows changed since the last drain and those that
   * differed, the ranges that differed, and the tables the stream cannot follow, whole; then drops the
   * pass's slot (kept when the check itself fails, for a retry: the rollback path drops it then).
   */
  recheck(request: RecheckRequest, signal?: AbortSignal): Promise<TableRecheck[]>;
}

/**
 * The verification passes' slots on the source: a slot left behind keeps WAL on the production
 * database for ever, so every exit path drops its own, and later runs drop what earlier ones left.
 */
export interface VerificationSlots {
  /** Drops the slot if it is still there: `absent` when it was not. */
  dropSlot(slot: string, signal?: AbortSignal): Promise<'dropped' | 'absent'>;
  /**
   * Drops the verification slots of this database no session is using, except `except`, and (when
   * given) only those unused for `idleSeconds`; returns their names.
   */
  dropLeftoverSlots(
    options: { readonly except?: string; readonly idleSeconds?: number },
    signal?: AbortSignal,
  ): Promise<string[]>;
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
