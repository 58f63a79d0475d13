import type { Datum, PgoutputMessage } from './pgoutput-messages';

/** A verified table as the change stream names it. */
export interface WatchedTable {
  /** As the plan names it. */
  readonly table: string;
  /** Its oid on the source: the relation id of its changes. */
  readonly relationId: number;
  /** Its primary key's column names, in key order. */
  readonly key: readonly string[];
}

/**
 * Reads decoded changes and keeps the primary keys of the rows they touched, per verified table, once
 * their transaction has committed. A table whose changes do not carry its key (a TRUNCATE, a replica
 * identity without the key) is marked to be re-checked whole instead, with the reason.
 */
export class ChangedKeys {
  private readonly watched: ReadonlyMap<number, WatchedTable>;
  /** Where the key columns sit in each watched relation's tuples, as its last Relation message said. */
  private readonly layouts = new Map<number, readonly number[] | null>();
  private open = new Map<string, Map<string, string[]>>();
  private committed = new Map<string, Map<string, string[]>>();
  private readonly whole = new Map<string, string>();
  private commitLsn: string | null = null;

  constructor(tables: readonly WatchedTable[]) {
    this.watched = new Map(tables.map((table) => [table.relationId, table]));
  }

  /** The end of the last committed transaction read. */
  get lastCommit(): string | null {
    return this.commitLsn;
  }

  /** Tables to re-check whole, with why. */
  get wholeTables(): ReadonlyMap<string, string> {
    return this.whole;
  }

  read(message: PgoutputMessage): void {
    switch (message.kind) {
      case 'begin':
        this.open = new Map();
        return;
      case 'commit':
        for (const [table, keys] of this.open) {
          const into = this.committed.get(table) ?? new Map<string, string[]>();
          for (const [id, key] of keys) into.set(id, key);
          this.committed.set(table, into);
        }
        this.open = new Map();
        this.commitLsn = message.endLsn;
        return;
      case 'relation':
        this.describe(message.relationId, message.columns);
        return;
      case 'insert':
        this.touch(message.relationId, message.values);
        return;
      case 'update':
        if (message.old) this.touch(message.relationId, message.old.values);
        this.touch(message.relationId, message.values);
        return;
      case 'delete':
        this.touch(message.relationId, message.old.values);
        return;
      case 'truncate':
        for (const id of message.relationIds) this.markWhole(id, 'truncated during the pass');
        return;
      case 'other':
        return;
    }
  }

  /** The keys of the transactions committed since the last call, by table (each key once); forgets them. */
  takeCommitted(): Map<string, string[][]> {
    const taken = new Map([...this.committed].map(([table, keys]) => [table, [...keys.values()]]));
    this.committed = new Map();
    return taken;
  }

  private describe(relationId: number, columns: readonly { name: string; key: boolean }[]): void {
    const table = this.watched.get(relationId);
    if (!table) return;
    const positions = table.key.map((name) => columns.findIndex((column) => column.name === name));
    const carried = positions.every((position) => columns[position]?.key === true);
    this.layouts.set(relationId, carried ? positions : null);
    if (!carried) this.markWhole(relationId, 'its replica identity does not carry its primary key');
  }

  private touch(relationId: number, values: readonly Datum[]): void {
    const table = this.watched.get(relationId);
    if (!table || this.whole.has(table.table)) return;
    const layout = this.layouts.get(relationId);
    if (layout === undefined) throw new Error(`a change of ${table.table} came before its relation message`);
    const key = layout?.map((position) => values[position]);
    if (!key || !key.every((value): value is string => typeof value === 'string')) {
      this.markWhole(relationId, 'a change did not carry its primary key');
      return;
    }
    const keys = this.open.get(table.table) ?? new Map<string, string[]>();
    keys.set(JSON.stringify(key), key);
    this.open.set(table.table, keys);
  }

  private markWhole(relationId: number, reason: string): void {
    const table = this.watched.get(relationId);
    if (table && !this.whole.has(table.table)) this.whole.set(table.table, reason);
  }
}
