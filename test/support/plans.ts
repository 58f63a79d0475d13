import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ExecutionContext } from '../../domain/context/execution-context';
import { resolveExecutionContext } from '../../domain/context/resolve-context';
import type { PlanInput } from '../../domain/plan/schema';
import { validatePlan } from '../../domain/plan/validate';

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples');
export const EXAMPLES = ['app-canary.yaml', 'app-postgres-logical.yaml', 'app-rds-blue-green.yaml'] as const;

/** A fresh, mutable copy of an example plan as written (before defaults). */
export function examplePlan(file: (typeof EXAMPLES)[number] = 'app-postgres-logical.yaml'): PlanInput {
  return parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as PlanInput;
}

/** The execution context validate-plan resolves a plan into, as every later step receives it. */
export function contextOf(plan: PlanInput, execution = 'exec-1'): ExecutionContext {
  return resolveExecutionContext(validatePlan(plan).plan, execution);
}
