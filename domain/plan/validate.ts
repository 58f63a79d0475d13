import { PlanValidationError, type PlanIssue } from '../errors';
import { toPlanIssues } from './issues';
import { checkRules } from './rules';
import { EKS_NOT_YET, planSchema, type Plan } from './schema';
import { findInlineSecrets } from './secrets';

export interface ValidPlan {
  readonly plan: Plan;
  readonly warnings: readonly PlanIssue[];
}

/** Validates an already-parsed plan object; throws PlanValidationError listing every problem. */
export function validatePlan(raw: unknown): ValidPlan {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PlanValidationError([
      { path: '', message: 'a plan is a mapping with name, dns, health and traffic' },
    ]);
  }
  const secrets = findInlineSecrets(raw);
  const parsed = planSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap(toPlanIssues);
    throw new PlanValidationError([
      ...secrets,
      ...issues.filter((i) => !secrets.some((s) => s.path === i.path)),
    ]);
  }
  const { deploy } = parsed.data;
  if (deploy.kind === 'eks') throw new PlanValidationError([{ path: 'deploy.kind', message: EKS_NOT_YET }]);
  const plan: Plan = { ...parsed.data, deploy };
  const { errors, warnings } = checkRules(plan);
  if (secrets.length || errors.length) throw new PlanValidationError([...secrets, ...errors], warnings);
  return { plan, warnings };
}
