import { showValue } from '../safe-text';

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `path` followed by `key`; a key that is not a plain word is quoted and escaped: `deploy.parameters["a b"]`. */
export function childPath(path: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const name = String(key);
  if (PLAIN_KEY.test(name) && name.length <= 64) return path ? `${path}.${name}` : name;
  return `${path}[${showValue(name)}]`;
}

/** A field path as messages show it, e.g. `traffic.steps[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(childPath, '');
}
