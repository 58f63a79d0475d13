import { keyLabel, rangeLabel } from '../../domain/verification/key-range';
import type { KeyRange, TableRecheck, WholeTable } from '../../ports/database';
import type { DrainResult } from './change-drain';
import type { Sides, TablePair } from './table-checksums';
import { recheckWholeTable } from './table-recheck';

/** Differences named per table at most; the rest are counted. */
const NAMED_DIFFERENCES = 10;

export interface FreezeFindings {
  /** The source's transaction horizon when the pass began. */
  readonly since: string;
  readonly ranges: readonly KeyRange[];
  readonly wholeTables: readonly WholeTable[];
  /** The last drain of the change stream, read to its end with writes frozen. */
  readonly drained: DrainResult;
}

/**
 * Each table's verdict inside the freeze: the rows the last drain compared and found different, the
 * ranges that differed during the pass, and, for a table the stream could not follow, the whole-table
 * re-check (which reads it once on each side).
 */
export async function recheckInFreeze(
  sides: Sides,
  pairs: readonly TablePair[],
  findings: FreezeFindings,
): Promise<TableRecheck[]> {
  const reasons = new Map(findings.wholeTables.map((table) => [table.table, table.reason]));
  const rechecked: TableRecheck[] = [];
  for (const pair of pairs) {
    const table = pair.table;
    const differences = findings.drained.differing
      .filter((row) => row.table === table)
      .map((row) => `${table}[${keyLabel(row.key)}]`);
    const reason = reasons.get(table);
    const whole = reason === undefined ? null : await recheckWholeTable(sides, pair, findings.since);
    if (whole) differences.push(...whole.differences);
    for (const range of findings.ranges.filter((range) => range.table === table)) {
      const comparison = await pair.compare(sides, range.after, range.upTo, Number.MAX_SAFE_INTEGER);
      if (!comparison.same) differences.push(rangeLabel(table, range.after, range.upTo));
    }
    rechecked.push({
      table,
      changedRows: (findings.drained.compared.get(table) ?? 0) + (whole?.changedRows ?? 0),
      wholeTable:
        whole && reason !== undefined
          ? { reason, sourceRows: whole.sourceRows, targetRows: whole.targetRows }
          : null,
      differences: named(differences),
    });
  }
  return rechecked;
}

function named(differences: readonly string[]): string[] {
  if (differences.length <= NAMED_DIFFERENCES) return [...differences];
  const more = differences.length - NAMED_DIFFERENCES;
  return [...differences.slice(0, NAMED_DIFFERENCES), `and ${more} more in the same table`];
}
