import { readFile } from 'node:fs/promises';
import { PlanValidationError } from '../domain/errors';
import { parsePlanText, type ValidPlan } from '../domain/plan/parse';

/** Reads and validates a plan file; a missing file is reported like any other plan problem. */
export async function loadPlan(file: string): Promise<ValidPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (error as Error).message;
    throw new PlanValidationError([{ path: '', message: `plan file ${file} ${reason}` }]);
  }
  return parsePlanText(text);
}
