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

export interface TableVerification {
  readonly table: string;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly chunks: number;
  /** Chunks (by primary key range) whose checksums differ. */
  readonly mismatchedChunks: readonly string[];
}

export interface VerificationReport {
  readonly tables: readonly TableVerification[];
  readonly rowsCompared: number;
  readonly mismatches: number;
}

/** Checks that the target holds the same data as the source before the switch. */
export interface DataVerifier {
  /** Copies sequence positions to the target (logical replication does not carry them). */
  syncSequences(signal?: AbortSignal): Promise<SequenceSync[]>;
  verify(tables: readonly string[], chunkSize: number, signal?: AbortSignal): Promise<VerificationReport>;
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
