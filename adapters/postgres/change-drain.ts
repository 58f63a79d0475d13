import { setTimeout as sleep } from 'node:timers/promises';
import { lsnValue } from '../../domain/verification/change-stream';
import type { ChangedKey, WholeTable } from '../../ports/database';
import { ChangedKeys, type WatchedTable } from './change-keys';
import { ChangeSlot, currentLsn } from './change-slot';
import { differingKeys } from './keyed-rows';
import { parsePgoutput } from './pgoutput-messages';
import type { PostgresSession } from './postgres-sessions';
import type { Sides, TablePair } from './table-checksums';

/** How often the subscriber's confirmed position is read while waiting for it. */
const SUBSCRIBER_POLL_MS = 100;

export interface DrainRequest {
  readonly slot: string;
  readonly publication: string;
  /** The subscription's slot on the source: its confirmed position says what green has applied. */
  readonly subscriberSlot: string;
  /** The verified tables the stream follows (the others are re-checked whole). */
  readonly pairs: readonly TablePair[];
  readonly from: string;
  readonly differing: readonly ChangedKey[];
  readonly budgetMs: number;
  /**
   * How long to wait for green to apply what blue has written when the drain begins; past it, only what
   * green has confirmed is compared (the rest is left to the next drain). Null: compare everything
   * (inside the freeze, where green has caught up already).
   */
  readonly waitForSubscriberMs: number | null;
  /** At most about this many decoded messages are read (whole transactions). */
  readonly maxMessages: number;
}

export interface DrainResult {
  readonly drainedTo: string;
  readonly caughtUp: boolean;
  /** Rows compared by key, per table. */
  readonly compared: ReadonlyMap<string, number>;
  readonly differing: readonly ChangedKey[];
  readonly wholeTables: readonly WholeTable[];
}

/**
 * Moves the slot on to `from` (compared by an earlier call whose result the workflow holds: a retried
 * call, given the same `from`, decodes the same changes again, so none is lost), then decodes what was
 * committed since, a batch at a time, comparing the changed rows by key on both sides at each batch, and
 * the rows that differed before. Stops at the WAL position of its start, or when the budget is spent.
 */
export async function drainChanges(sides: Sides, request: DrainRequest): Promise<DrainResult> {
  const started = performance.now();
  const slot = new ChangeSlot(sides.source, request.slot);
  await slot.moveTo(request.from);
  const target = await currentLsn(sides.source);
  const upTo = await appliedPosition(sides.source, request, target);
  const pairs = new Map(request.pairs.map((pair) => [pair.table, pair]));
  const changes = new ChangedKeys(await watched(sides.source, request.pairs));
  const compared = new Map<string, number>();
  const differing = new Map<string, ChangedKey>();
  const compare = async (keys: ReadonlyMap<string, readonly (readonly string[])[]>) => {
    for (const [table, list] of keys) {
      const pair = pairs.get(table);
      if (!pair || changes.wholeTables.has(table)) continue;
      compared.set(table, (compared.get(table) ?? 0) + list.length);
      for (const key of list) differing.delete(JSON.stringify([table, key]));
      for (const key of await differingKeys(sides, pair, list)) {
        differing.set(JSON.stringify([table, key]), { table, key });
      }
    }
  };

  await compare(groupByTable(request.differing));
  let drainedTo = request.from;
  const complete = await slot.peek(request.publication, upTo, request.maxMessages, async (messages) => {
    for (const message of messages) changes.read(parsePgoutput(message));
    await compare(changes.takeCommitted());
    drainedTo = laterOf(drainedTo, changes.lastCommit);
    return performance.now() - started < request.budgetMs;
  });
  if (complete) drainedTo = laterOf(drainedTo, upTo);
  return {
    drainedTo,
    caughtUp: complete && upTo === target,
    compared,
    differing: [...differing.values()].filter((row) => !changes.wholeTables.has(row.table)),
    wholeTables: [...changes.wholeTables].map(([table, reason]) => ({ table, reason })),
  };
}

/**
 * `target`, once green's subscription has confirmed it (waiting up to the request's limit); else the
 * position green has confirmed, so that the drain compares only changes green has had the time to apply.
 */
async function appliedPosition(db: PostgresSession, request: DrainRequest, target: string): Promise<string> {
  if (request.waitForSubscriberMs === null) return target;
  const deadline = performance.now() + request.waitForSubscriberMs;
  for (;;) {
    const [slot] = await db.query<{ lsn: string | null }>(
      'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
      [request.subscriberSlot],
    );
    // Without a subscription slot to read (another replication setup), nothing tells: compare everything.
    if (!slot?.lsn || lsnValue(slot.lsn) >= lsnValue(target)) return target;
    if (performance.now() >= deadline) return slot.lsn;
    await sleep(SUBSCRIBER_POLL_MS);
  }
}

/** The verified tables by their relation ids on the source. */
async function watched(db: PostgresSession, pairs: readonly TablePair[]): Promise<WatchedTable[]> {
  const rows = await db.query<{ table: string; relationId: string }>(
    `SELECT t AS table, to_regclass(t)::oid::text AS "relationId" FROM unnest($1::text[]) AS t`,
    [pairs.map((pair) => pair.table)],
  );
  const ids = new Map(rows.map((row) => [row.table, Number(row.relationId)]));
  return pairs.map((pair) => ({
    table: pair.table,
    relationId: ids.get(pair.table) ?? 0,
    key: pair.shape.key.map((column) => column.name),
  }));
}

function groupByTable(rows: readonly ChangedKey[]): Map<string, (readonly string[])[]> {
  const grouped = new Map<string, (readonly string[])[]>();
  for (const row of rows) grouped.set(row.table, [...(grouped.get(row.table) ?? []), row.key]);
  return grouped;
}

function laterOf(lsn: string, other: string | null): string {
  return other !== null && lsnValue(other) > lsnValue(lsn) ? other : lsn;
}
