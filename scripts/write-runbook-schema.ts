/** Regenerates schema/runbook.schema.json from the zod schema. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runbookJsonSchema } from '../domain/runbook/json-schema';

export const RUNBOOK_SCHEMA_FILE = join(__dirname, '..', 'schema', 'runbook.schema.json');

export function runbookSchemaFileText(): string {
  return `${JSON.stringify(runbookJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(RUNBOOK_SCHEMA_FILE, runbookSchemaFileText());
  console.log(`wrote ${RUNBOOK_SCHEMA_FILE}`);
}
