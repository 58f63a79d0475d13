import { PlanValidationError } from '../../domain/errors';
import { resolveSchedule } from '../../domain/schedule/resolve';
import { ExitCode, type CliIo } from '../io';
import { loadPlan } from '../load-plan';
import { printIssues } from '../print-issues';
import { renderPlanMermaid } from '../render/plan-mermaid';
import { renderPlanTable } from '../render/plan-table';

export const PLAN_FORMATS = ['table', 'json', 'mermaid'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/**
 * `cutover plan <file>`: validates a plan and prints the schedule it resolves to. A refused plan exits 2
 * with its problems; with `--json` they are printed as JSON too.
 */
export async function planCommand(file: string, format: PlanFormat, io: CliIo): Promise<number> {
  const json = format === 'json';
  try {
    const { plan, warnings } = await loadPlan(file);
    printIssues(io, { errors: [], warnings }, false);
    const schedule = resolveSchedule(plan);
    if (json) io.out(JSON.stringify(schedule, null, 2));
    else if (format === 'mermaid') io.out(renderPlanMermaid(schedule));
    else io.out(renderPlanTable(schedule));
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof PlanValidationError)) throw error;
    printIssues(io, { errors: error.issues, warnings: error.warnings }, json);
    return ExitCode.invalidInput;
  }
}
