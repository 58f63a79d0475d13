import type { Node } from 'constructs';

/**
 * A list of strings from cdk.json context, each matching `pattern`; [] when the key is absent.
 * `what` names the expected values in the error (which then shows the value given).
 * @default - "a list of strings matching <pattern>"
 */
export function contextStringList(node: Node, key: string, pattern: RegExp, what?: string): string[] {
  const value: unknown = node.tryGetContext(key) ?? [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && pattern.test(item))) {
    throw new Error(
      what
        ? `cdk.json context "${key}": expected ${what}, got ${JSON.stringify(value)}`
        : `cdk.json context "${key}": expected a list of strings matching ${pattern}`,
    );
  }
  return value;
}

/** One string from cdk.json context, matching `pattern`; undefined when the key is absent. */
export function contextString(node: Node, key: string, pattern: RegExp): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new Error(`cdk.json context "${key}": expected a string matching ${pattern}`);
  }
  return value;
}

/** A schema issue in a cdk.json context value, on one line: `cdk.json context "<key>[0].name": <message>`. */
export function contextIssue(
  key: string,
  issue: { readonly path: readonly PropertyKey[]; readonly message: string },
): string {
  const path = issue.path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('');
  return `cdk.json context "${key}${path}": ${issue.message}`;
}
