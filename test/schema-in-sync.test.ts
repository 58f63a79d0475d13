import { readFileSync } from 'node:fs';
import { README_FILE, SCHEMA_FILE, readmeWithReference, schemaFileText } from '../scripts/write-plan-schema';

describe('generated plan documentation', () => {
  it('keeps schema/plan.schema.json in sync with the zod schema (run `npm run schema`)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaFileText());
  });

  it('keeps the plan reference in README.md in sync with the zod schema (run `npm run schema`)', () => {
    const readme = readFileSync(README_FILE, 'utf8');
    expect(readme).toBe(readmeWithReference(readme));
  });
});
