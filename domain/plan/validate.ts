import type { z } from 'zod';
import { PlanValidationError, type PlanIssue } from '../errors';
import { showValue } from '../safe-text';
import { childPath, formatPath } from './field-path';
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

/** A zod issue as located, one-line problems (unknown keys become one problem each). */
export function toPlanIssues(issue: z.core.$ZodIssue): PlanIssue[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const messages = issue.message.split('; unknown field ');
    return issue.keys.map((key, i) => ({
      path: formatPath([...issue.path, key]),
      message: i === 0 ? messages[0]! : `unknown field ${messages[i] ?? showValue(key)}`,
    }));
  }
  if (issue.code === 'invalid_union' && issue.message.startsWith('kind ')) {
    const kindPath = path.endsWith('kind') ? path : childPath(path, 'kind');
    return [{ path: kindPath, message: issue.message.replace(/^kind /, '') }];
  }
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type' && input === undefined) {
    const custom = !issue.message.startsWith('Invalid input');
    return [
      {
        path,
        message: custom ? `missing: ${issue.message}` : `missing; expected ${article(issue.expected)}`,
      },
    ];
  }
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return [{ path, message: `expected ${article(issue.expected)}, got ${showValue(input)}` }];
  }
  if (issue.message.startsWith('Too big') || issue.message.startsWith('Too small')) {
    return [{ path, message: `${showValue(input)} is out of range: ${lowerFirst(issue.message)}` }];
  }
  const shown = input === undefined || typeof input === 'object' ? '' : showValue(input);
  const message = shown && !issue.message.includes(shown) ? `${issue.message} (got ${shown})` : issue.message;
  return [{ path, message }];
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
