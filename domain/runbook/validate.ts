import { durationSeconds } from '../duration';
import { RunbookValidationError, type PlanIssue } from '../errors';
import { toPlanIssues } from '../plan/issues';
import type { z } from 'zod/mini';
import { runbookSchema, type Runbook } from './schema';
import type { SCRIPTS } from './scripts';
import { worstCaseHistoryEvents, HISTORY_EVENTS_BUDGET } from './rate-control';

/** A step runs on a target for at least this long and at most this long (SSM executionTimeout). */
export const TIMEOUT_RANGE_SECONDS = { min: 30, max: 3600 } as const;

/** Validates an already-parsed runbook object; throws RunbookValidationError listing every problem. */
export function validateRunbook(raw: unknown): Runbook {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RunbookValidationError([
      { path: '', message: 'a runbook is a mapping with name, targets and steps' },
    ]);
  }
  const parsed = runbookSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new RunbookValidationError(parsed.error.issues.flatMap(toPlanIssues));
  const problems = checkRunbookRules(parsed.data);
  if (problems.length > 0) throw new RunbookValidationError(problems);
  return parsed.data;
}

type RestartParameters = z.output<(typeof SCRIPTS)['restart-unhealthy-service']['parameters']>;

function checkRunbookRules(runbook: Runbook): PlanIssue[] {
  const problems: PlanIssue[] = [];
  const timeout = durationSeconds(runbook.timeout);
  if (timeout < TIMEOUT_RANGE_SECONDS.min || timeout > TIMEOUT_RANGE_SECONDS.max) {
    problems.push({
      path: 'timeout',
      message: `${runbook.timeout} is outside 30s–1h; a step that needs longer belongs in a workflow of its own`,
    });
  }
  runbook.steps.forEach((step, i) => {
    if (step.script !== 'restart-unhealthy-service') return;
    const { healthCheck, healthUrl, healthPort } = step.parameters as RestartParameters;
    if (healthCheck === 'http' && !healthUrl) {
      problems.push({
        path: `steps[${i}].parameters.healthUrl`,
        message: 'missing: healthCheck http needs healthUrl',
      });
    }
    if (healthCheck === 'tcp' && !healthPort) {
      problems.push({
        path: `steps[${i}].parameters.healthPort`,
        message: 'missing: healthCheck tcp needs healthPort',
      });
    }
  });
  const events = worstCaseHistoryEvents(runbook);
  if (problems.length === 0 && events > HISTORY_EVENTS_BUDGET) {
    problems.push({
      path: 'rateControl',
      message: `up to ${events} history events in the worst case (over ${HISTORY_EVENTS_BUDGET}; Step Functions stops at 25,000): raise maxConcurrency, lower maxTargets or the timeout`,
    });
  }
  return problems;
}
