import { PlanValidationError, type PlanIssue } from '../errors';
import { showValue } from '../safe-text';
import { childPath } from './field-path';
import { toPlanIssues } from './issues';
import { checkRules, type RuleOptions } from './rules';
import { EKS_NOT_YET, planSchema, type Plan } from './schema';
import { findInlineSecrets } from './secrets';

export interface ValidPlan {
  readonly plan: Plan;
  readonly warnings: readonly PlanIssue[];
}

export type ValidateOptions = RuleOptions;

/** Validates an already-parsed plan object; throws PlanValidationError listing every problem. */
export function validatePlan(raw: unknown, options: ValidateOptions = {}): ValidPlan {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PlanValidationError([
      { path: '', message: `a plan is a mapping with name, dns, health and traffic; got ${showValue(raw)}` },
    ]);
  }
  const found = [...findInlineSecrets(raw), ...findUnexpandedVariables(raw)];
  const parsed = planSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap(toPlanIssues);
    throw new PlanValidationError([...found, ...issues.filter((i) => !found.some((s) => s.path === i.path))]);
  }
  const { deploy } = parsed.data;
  if (deploy.kind === 'eks') throw new PlanValidationError([{ path: 'deploy.kind', message: EKS_NOT_YET }]);
  const plan: Plan = { ...parsed.data, deploy };
  const { errors, warnings } = checkRules(plan, options);
  if (found.length || errors.length) throw new PlanValidationError([...found, ...errors], warnings);
  return { plan, warnings };
}

/** `${NAME}` left in a value: the plan was meant to go through a template step that never ran. */
function findUnexpandedVariables(value: unknown, path = ''): PlanIssue[] {
  if (Array.isArray(value))
    return value.flatMap((item, i) => findUnexpandedVariables(item, childPath(path, i)));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      findUnexpandedVariables(item, childPath(path, key)),
    );
  }
  if (typeof value === 'string' && /\$\{[^}]*\}/.test(value)) {
    return [
      {
        path,
        message: `${showValue(value)} holds an unexpanded variable; a plan is not a template, write the value itself`,
      },
    ];
  }
  return [];
}
