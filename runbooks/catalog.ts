import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunbookValidationError } from '../domain/errors';
import type { Runbook } from '../domain/runbook/schema';
import { parseRunbookText } from '../domain/runbook/parse';

/** Where the runbook files (<name>.yaml) and their scripts (scripts/<script>.py) live. */
export const RUNBOOKS_DIR = __dirname;
export const SCRIPTS_DIR = join(__dirname, 'scripts');

/** The names of the runbooks in `directory`, sorted. */
export function runbookNames(directory = RUNBOOKS_DIR): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

/** Reads and validates runbooks/<name>.yaml; an unknown name is reported like any runbook problem. */
export function loadRunbook(name: string, directory = RUNBOOKS_DIR): Runbook {
  const names = runbookNames(directory);
  if (!names.includes(name)) {
    throw new RunbookValidationError([
      { path: '', message: `no runbook named ${JSON.stringify(name)}; expected one of: ${names.join(', ')}` },
    ]);
  }
  const text = readFileSync(join(directory, `${name}.yaml`), 'utf8');
  try {
    return parseRunbookText(text, name);
  } catch (error) {
    if (!(error instanceof RunbookValidationError)) throw error;
    throw new RunbookValidationError(
      error.issues.map((issue) => ({ ...issue, path: `${name}.yaml${issue.path ? `: ${issue.path}` : ''}` })),
    );
  }
}

export function loadRunbooks(directory = RUNBOOKS_DIR): Runbook[] {
  return runbookNames(directory).map((name) => loadRunbook(name, directory));
}

/** A script's source, as the SSM document ships it and the local run executes it. */
export function scriptSource(file: string): string {
  return readFileSync(join(SCRIPTS_DIR, file), 'utf8');
}
