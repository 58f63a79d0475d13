import type { z } from 'zod';
import { PlanValidationError, type PlanIssue } from '../errors';
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

/** A zod issue as located, one-line problems (unknown keys become one problem each). */
export function toPlanIssues(issue: z.core.$ZodIssue): PlanIssue[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const messages = issue.message.split('; unknown field ');
    return issue.keys.map((key, i) => ({
      path: joinPath(path, key),
      message: i === 0 ? messages[0]! : `unknown field ${messages[i] ?? `"${key}"`}`,
    }));
  }
  if (issue.code === 'invalid_union' && issue.message.startsWith('kind ')) {
    const kindPath = path.endsWith('kind') ? path : joinPath(path, 'kind');
    return [{ path: kindPath, message: issue.message.replace(/^kind /, '') }];
  }
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type' && input === undefined) {
    const custom = !issue.message.startsWith('Invalid input');
    return [{ path, message: custom ? `missing: ${issue.message}` : `missing; expected ${issue.expected}` }];
  }
  const shown = input === undefined || typeof input === 'object' ? '' : JSON.stringify(input);
  const message = shown && !issue.message.includes(shown) ? `${issue.message} (got ${shown})` : issue.message;
  return [{ path, message }];
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : joinPath(text, String(key))),
    '',
  );
}

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
