import { parseDocument } from 'yaml';
import { PlanValidationError } from '../errors';
import { validatePlan, type ValidPlan } from './validate';

export type { ValidPlan };

/** Parses plan text (YAML, or JSON which is YAML too) and validates it; throws PlanValidationError. */
export function parsePlanText(text: string): ValidPlan {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const syntax = document.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}: ` : '';
    throw new PlanValidationError([
      {
        path: '',
        message: `${where}YAML syntax error: ${firstLine(syntax.message).replace(/ at line \d+, column \d+:?$/, '')}`,
      },
    ]);
  }
  return validatePlan(document.toJS());
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
