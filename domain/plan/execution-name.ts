import { createHash } from 'node:crypto';
import type { Plan } from './schema';

/** Step Functions execution names: at most 80 characters. A plan name has at most 63. */
const DIGEST_LENGTH = 16;

/**
 * The execution name of a validated plan: its name and a digest of its content (defaults applied, keys
 * sorted). Starting the same plan twice names the same execution; any change names another.
 */
export function executionNameOf(plan: Plan): string {
  return `${plan.name}-${planDigest(plan).slice(0, DIGEST_LENGTH)}`;
}

/** The plan name an execution name was derived from (undefined for a name not made by executionNameOf). */
export function planNameOf(executionName: string): string | undefined {
  const match = new RegExp(`^(.+)-[0-9a-f]{${DIGEST_LENGTH}}$`).exec(executionName);
  return match?.[1];
}

export function planDigest(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
