import type { PlanIssue } from '../domain/errors';
import { formatIssue } from '../domain/errors';
import { safeLine } from '../domain/safe-text';
import type { CliIo } from './io';

/** Problems listed one per line before the rest is summed up: output stays small whatever the input. */
export const MAX_ISSUES_SHOWN = 40;

/** Prints a refused plan's problems and warnings, as text lines on stderr or as one JSON object on stdout. */
export function printIssues(
  io: CliIo,
  issues: { readonly errors: readonly PlanIssue[]; readonly warnings: readonly PlanIssue[] },
  json: boolean,
): void {
  const errors = bounded(issues.errors);
  const warnings = bounded(issues.warnings);
  if (json) {
    io.out(JSON.stringify({ valid: issues.errors.length === 0, errors, warnings }, null, 2));
    return;
  }
  for (const warning of warnings) io.err(`warning: ${formatIssue(warning)}`);
  for (const error of errors) io.err(formatIssue(error));
}

/** At most MAX_ISSUES_SHOWN issues, every one safe to print, and a last line saying how many were left out. */
function bounded(issues: readonly PlanIssue[]): PlanIssue[] {
  const shown = issues
    .slice(0, MAX_ISSUES_SHOWN)
    .map((issue) => ({ path: safeLine(issue.path), message: safeLine(issue.message) }));
  const left = issues.length - shown.length;
  return left > 0 ? [...shown, { path: '', message: `… and ${left} more problem(s) not shown` }] : shown;
}
