/** Regenerates schema/plan.schema.json and the plan reference in README.md from the zod schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planJsonSchema } from '../domain/plan/json-schema';
import { renderPlanReference } from './plan-reference';

export const SCHEMA_FILE = join(__dirname, '..', 'schema', 'plan.schema.json');
export const README_FILE = join(__dirname, '..', 'README.md');
const START = '<!-- plan-reference:start -->';
const END = '<!-- plan-reference:end -->';

export function schemaFileText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}

export function readmeWithReference(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  const table = renderPlanReference(planJsonSchema());
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, schemaFileText());
  writeFileSync(README_FILE, readmeWithReference(readFileSync(README_FILE, 'utf8')));
  console.log(`wrote ${SCHEMA_FILE} and the plan reference in ${README_FILE}`);
}
