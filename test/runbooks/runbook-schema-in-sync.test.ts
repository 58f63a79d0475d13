import { readFileSync } from 'node:fs';
import { RUNBOOK_SCHEMA_FILE, runbookSchemaFileText } from '../../scripts/write-runbook-schema';

describe('generated runbook schema', () => {
  it('keeps schema/runbook.schema.json in sync with the zod schema (run `npm run schema`)', () => {
    expect(readFileSync(RUNBOOK_SCHEMA_FILE, 'utf8')).toBe(runbookSchemaFileText());
  });
});
