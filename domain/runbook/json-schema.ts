import * as z from 'zod/mini';
import { runbookSchema } from './schema';

/** The runbook's JSON Schema, for editors (yaml-language-server). */
export function runbookJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(runbookSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://github.com/cutover/cutover/schema/runbook.schema.json',
    title: 'cutover runbook',
  };
}
