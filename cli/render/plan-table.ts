import { formatDuration } from '../../domain/duration';
import type { Phase, Schedule } from '../../domain/schedule/schedule';

const COLUMNS = [
  '#',
  'Phase',
  'Green',
  'Weights blue/green',
  'Bake',
  'Done by (earliest / worst)',
  'Reversible',
];

/** The schedule as an aligned text table, one row per phase. */
export function renderPlanTable(schedule: Schedule): string {
  const rows = schedule.phases.map((phase, i) => [
    String(i + 1),
    phase.title,
    `${phase.greenPercent} %`,
    `${phase.weights.blue} / ${phase.weights.green}`,
    phase.bakeSeconds ? formatDuration(phase.bakeSeconds) : '-',
    `${formatDuration(phase.cumulativeEarliestSeconds)} / ${formatDuration(phase.cumulativeWorstSeconds)}`,
    reversibility(phase),
  ]);
  const widths = COLUMNS.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  const header = `Plan ${schedule.name}: ${schedule.steps.length} shift step(s), ${formatDuration(schedule.earliestSeconds)} at the earliest, ${formatDuration(schedule.worstCaseSeconds)} at worst`;
  return [header, '', line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function reversibility(phase: Phase): string {
  if (phase.pointOfNoReturn) return 'no: point of no return';
  return phase.reversible ? 'yes' : 'no';
}
