import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PlanInput } from '../../domain/plan/schema';

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples');
export const EXAMPLES = ['app-canary.yaml', 'app-postgres-logical.yaml', 'app-rds-blue-green.yaml'] as const;

/** A fresh, mutable copy of an example plan as written (before defaults). */
export function examplePlan(file: (typeof EXAMPLES)[number] = 'app-postgres-logical.yaml'): PlanInput {
  return parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as PlanInput;
}
