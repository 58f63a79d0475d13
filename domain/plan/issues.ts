import type { z } from 'zod/mini';
import type { PlanIssue } from '../errors';
import { showValue } from '../safe-text';
import { childPath, formatPath } from './field-path';

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
