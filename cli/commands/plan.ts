import { resolveSchedule } from '../../domain/schedule/resolve';
import { formatIssue } from '../../domain/errors';
import type { CliIo } from '../io';
import { loadPlan } from '../load-plan';
import { renderPlanMermaid } from '../render/plan-mermaid';
import { renderPlanTable } from '../render/plan-table';

export const PLAN_FORMATS = ['table', 'json', 'mermaid'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** `cutover plan <file>`: validates a plan and prints the schedule it resolves to. */
export async function planCommand(file: string, format: PlanFormat, io: CliIo): Promise<void> {
  const { plan, warnings } = await loadPlan(file);
  for (const warning of warnings) io.err(`warning: ${formatIssue(warning)}`);
  const schedule = resolveSchedule(plan);
  if (format === 'json') io.out(JSON.stringify(schedule, null, 2));
  else if (format === 'mermaid') io.out(renderPlanMermaid(schedule));
  else io.out(renderPlanTable(schedule));
}
