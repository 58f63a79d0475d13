import { planDigest } from '../promotion/plan-digest';
import type { Plan } from './schema';

/** Step Functions execution names: at most 80 characters. A plan name has at most 63. */
const DIGEST_LENGTH = 16;

/**
 * The execution name of a validated plan: its name and a digest of its content (defaults applied, keys
 * sorted). Starting the same plan twice names the same execution; any change names another.
 */
export function executionNameOf(plan: Plan): string {
  return `${plan.name}-${planDigest(plan)
    .replace(/^sha256:/, '')
    .slice(0, DIGEST_LENGTH)}`;
}

/** The plan name an execution name was derived from (undefined for a name not made by executionNameOf). */
export function planNameOf(executionName: string): string | undefined {
  const match = new RegExp(`^(.+)-[0-9a-f]{${DIGEST_LENGTH}}$`).exec(executionName);
  return match?.[1];
}
