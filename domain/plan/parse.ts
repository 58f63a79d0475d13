import { isMap, isScalar, Lexer, parseAllDocuments, visit, type Document, type YAMLError } from 'yaml';
import { PAYLOAD_MAX_BYTES } from '../aws-limits';
import { PlanValidationError, type PlanIssue } from '../errors';
import { validatePlan, type ValidateOptions, type ValidPlan } from './validate';

export type { ValidPlan };

/** Anchors reused more than this are refused: an "alias bomb" expands a small file into gigabytes. */
const MAX_ALIAS_COUNT = 100;

/**
 * Reads a plan file's bytes: UTF-8 (a BOM is fine), at most what a Step Functions execution input
 * can carry. UTF-16 and other encodings are named, not misread.
 */
export function decodePlanBytes(bytes: Uint8Array): string {
  checkPlanSize(bytes.length);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || hasNul(bytes)) {
    throw refusal('the file is UTF-16 (or binary), not UTF-8 text; save it as UTF-8');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw refusal('the file is not valid UTF-8 text; save it as UTF-8');
  }
}

/** A plan rides in a Step Functions execution input: a larger file could never run. */
export function checkPlanSize(bytes: number): void {
  if (bytes > PAYLOAD_MAX_BYTES) {
    throw refusal(
      `the file is ${bytes} bytes; a plan runs inside a Step Functions execution input, so it is at most ${PAYLOAD_MAX_BYTES} bytes (256 KiB)`,
    );
  }
}

function hasNul(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 4096).includes(0);
}

/** Parses plan text (YAML, or JSON which is YAML too) and validates it; throws PlanValidationError. */
export function parsePlanText(text: string, options: ValidateOptions = {}): ValidPlan {
  if (text.trim() === '') {
    throw refusal('the file is empty; a plan is a mapping with name, dns, health and traffic');
  }
  // Keys are checked for duplicates below: the library's own check is quadratic in a mapping's size.
  const documents = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(documents)) throw refusal('the file holds no YAML document');
  if (documents.length > 1) {
    const second = documents[1]!.range[0];
    throw refusal(
      `${where(text, second)}the file holds ${documents.length} YAML documents (separated by "---"); a plan is one document`,
    );
  }
  const document = documents[0]!;
  const syntax = document.errors[0];
  if (syntax) throw refusal(describeYamlError(text, syntax));
  const duplicate = firstDuplicateKey(document);
  if (duplicate !== undefined) {
    throw refusal(
      `${where(text, duplicate)}this key is already given above in the same mapping; give each key once`,
    );
  }
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw refusal(
      /alias/i.test((error as Error).message)
        ? `the YAML repeats anchors (*name) too often, which would expand it enormously; write the values out (at most ${MAX_ALIAS_COUNT} aliases)`
        : `the YAML cannot be read: ${(error as Error).message}`,
    );
  }
  return validatePlan(raw, options);
}

/** Where the first key repeated within one mapping starts, if any. */
function firstDuplicateKey(document: Document): number | undefined {
  let found: number | undefined;
  visit(document, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const item of map.items) {
        const key = isScalar(item.key) ? `s:${String(item.key.value)}` : `n:${String(item.key)}`;
        if (seen.has(key)) {
          found = (isScalar(item.key) || isMap(item.key) ? item.key.range?.[0] : undefined) ?? 0;
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

function refusal(message: string): PlanValidationError {
  return new PlanValidationError([{ path: '', message }] satisfies PlanIssue[]);
}

/** Plain words for the YAML library's error codes, and where the problem starts. */
function describeYamlError(text: string, error: YAMLError): string {
  const start = startOfProblem(text, error);
  switch (error.code) {
    case 'MISSING_CHAR': {
      const quote = /quote/i.test(error.message);
      return `${where(text, start)}${quote ? 'this quoted value is never closed; add the closing quote' : `something is not closed: ${firstSentence(error.message)}`}`;
    }
    case 'BAD_INDENT':
      return /Flow (sequence|map)/.test(error.message)
        ? `${where(text, start)}this [ or { is never closed (or the next lines are not indented under it)`
        : `${where(text, start)}the indentation does not line up with the lines above; keys of one mapping start in the same column`;
    case 'TAB_AS_INDENT':
      return `${where(text, start)}a tab is used for indentation; YAML indents with spaces`;
    case 'DUPLICATE_KEY':
      return `${where(text, start)}this key is already given above in the same mapping; give each key once`;
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (/Nested mappings/.test(error.message)) {
        return `${where(text, start)}this line is indented deeper than the key above it, which already has a value; keys of one mapping start in the same column`;
      }
      return `${where(text, start)}a key runs over several lines; is a ":" or a closing quote missing above?`;
    default:
      return `${where(text, start)}YAML syntax error: ${firstSentence(error.message)}`;
  }
}

/**
 * Where the problem starts: the YAML library reports an unclosed quote or bracket where the file
 * ends; the operator needs to see where it opens.
 */
function startOfProblem(text: string, error: YAMLError): number {
  const at = error.pos[0];
  const quote = error.code === 'MISSING_CHAR' && /quote/i.test(error.message);
  const bracket = error.code === 'BAD_INDENT' && /Flow (sequence|map)/.test(error.message);
  if (!quote && !bracket) return at;
  let offset = 0;
  const open: number[] = [];
  for (const token of new Lexer().lex(text)) {
    if (offset > at) break;
    if (LEXER_MARKERS.has(token)) continue;
    if (quote && (token.startsWith('"') || token.startsWith("'")) && offset + token.length >= at)
      return offset;
    if (token === '[' || token === '{') open.push(offset);
    if (token === ']' || token === '}') open.pop();
    offset += token.length;
  }
  return bracket && open.length > 0 ? open[0]! : at;
}

/** Tokens the lexer emits that are not in the source (document start, scalar and flow-end markers). */
const LEXER_MARKERS = new Set(['\x02', '\x18', '\x1f']);

/** `line L, column C: ` for an offset into `text`. */
function where(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: `;
}

function firstSentence(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
