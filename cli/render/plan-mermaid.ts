import type { Schedule } from '../../domain/schedule/schedule';

/** The phase graph as a Mermaid flowchart: the happy path, and where each failure leads. */
export function renderPlanMermaid(schedule: Schedule): string {
  const lines = ['flowchart TD'];
  schedule.phases.forEach((phase, i) => {
    lines.push(`  p${i}["${phase.title.replace(/"/g, "'")}"]`);
    if (i > 0) lines.push(`  p${i - 1} --> p${i}`);
  });
  lines.push('  done(["completed: green 100 %"])', `  p${schedule.phases.length - 1} --> done`);
  lines.push('  rollback(["rolled back: blue 100 %, writes unfrozen, lock released"])');
  lines.push('  operator{{"operator decides: roll forward or restore"}}');
  schedule.phases.forEach((phase, i) => {
    if (phase.kind === 'finalize') return;
    lines.push(`  p${i} -. failure .-> ${phase.reversible ? 'rollback' : 'operator'}`);
  });
  const pointOfNoReturn = schedule.phases.findIndex((p) => p.pointOfNoReturn);
  if (pointOfNoReturn >= 0) lines.push(`  style p${pointOfNoReturn} stroke:#c00,stroke-width:3px`);
  return lines.join('\n');
}
