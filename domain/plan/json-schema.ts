import * as z from 'zod/mini';
import { planSchema } from './schema';

/** The plan's JSON Schema, for editors (yaml-language-server) and the reference in the README. */
export function planJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://github.com/cutover/cutover/schema/plan.schema.json',
    title: 'cutover migration plan',
  };
}
