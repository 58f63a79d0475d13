import type { z } from 'zod';
import type { PlanIssue } from '../errors';

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
