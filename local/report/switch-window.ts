export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Around the switch, so the inset shows the latency before and after it. */
const MIN_MARGIN_MS = 250;
const MARGIN_SHARE = 0.25;
/** The phase whose span is the database switch, and the one before it (the write freeze starts there). */
const SWITCH_PHASE = 'database-switch';
const PREPARE_PHASE = 'database-prepare';

/**
 * The time range an inset zooms on: the database switch phase together with every write stall that
 * overlaps the database phases (the freeze starts before the switch), with a margin either side.
 * Undefined when the cutover never switched a database.
 */
export function switchWindow(
  phases: readonly { readonly name: string; readonly startMs: number; readonly endMs: number }[],
  writeStalls: readonly { readonly startMs: number; readonly endMs: number }[],
  endMs: number,
): TimeRange | undefined {
  const switches = phases.filter((phase) => phase.name === SWITCH_PHASE);
  if (switches.length === 0) return undefined;
  const database = phases.filter((phase) => phase.name === SWITCH_PHASE || phase.name === PREPARE_PHASE);
  const databaseFrom = Math.min(...database.map((phase) => phase.startMs));
  const databaseTo = Math.max(...database.map((phase) => phase.endMs));
  const stalls = writeStalls.filter((stall) => stall.endMs >= databaseFrom && stall.startMs <= databaseTo);
  const spans = [...switches, ...stalls];
  const from = Math.min(...spans.map((span) => span.startMs));
  const to = Math.max(...spans.map((span) => span.endMs));
  const margin = Math.max(MIN_MARGIN_MS, (to - from) * MARGIN_SHARE);
  return { fromMs: Math.max(0, from - margin), toMs: Math.min(Math.max(endMs, to), to + margin) };
}
