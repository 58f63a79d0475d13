import { parseDocument } from 'yaml';
import { RunbookValidationError } from '../errors';
import type { Runbook } from './schema';
import { validateRunbook } from './validate';

/** Parses runbook text (YAML) and validates it; throws RunbookValidationError listing every problem. */
export function parseRunbookText(text: string, fileName?: string): Runbook {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const syntax = document.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    throw new RunbookValidationError([
      {
        path: '',
        message: `${at ? `line ${at.line}, column ${at.col}: ` : ''}YAML syntax error: ${syntax.message.split('\n')[0]}`,
      },
    ]);
  }
  const runbook = validateRunbook(document.toJS());
  if (fileName !== undefined && runbook.name !== fileName) {
    throw new RunbookValidationError([
      { path: 'name', message: `"${runbook.name}" differs from the file name; expected "${fileName}"` },
    ]);
  }
  return runbook;
}
