/**
 * Text taken from a plan or the command line, made safe to print: a reviewer's terminal must show
 * what the file holds, not what it asks the terminal to do. Control characters (escape sequences
 * included), invisible and bidirectional formatting characters and unusual spaces are written out as
 * `\u{…}`; long values are cut, with their length said.
 */

/** Longest part of a value echoed back in a message. */
export const SHOWN_VALUE_CHARACTERS = 60;
/** Longest single line of a message (a safety net over everything printed about a plan). */
export const MESSAGE_LINE_CHARACTERS = 400;

// C0/C1 controls, DEL, format characters (zero-width, bidi overrides, BOM), characters drawn as nothing
// (Hangul fillers, variation selectors), line/paragraph separators, private use, lone surrogates, and
// every space other than the plain one.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/gu;

/** Escapes characters that are invisible or that a terminal would act on. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    return `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`;
  });
}

/** Cuts `text` to `max` characters (never inside a surrogate pair), saying how long it was. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join('')}… (${chars.length} characters)`;
}

/** A value as a message shows it: strings quoted, everything escaped and cut to a readable length. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    const chars = Array.from(value);
    const shown = escapeText(chars.slice(0, SHOWN_VALUE_CHARACTERS).join(''));
    return chars.length > SHOWN_VALUE_CHARACTERS ? `"${shown}…" (${chars.length} characters)` : `"${shown}"`;
  }
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return truncate(escapeText(String(value)), SHOWN_VALUE_CHARACTERS);
}

/** One line of output about operator input: escaped, and cut if it is still too long. */
export function safeLine(text: string): string {
  return truncate(escapeText(text), MESSAGE_LINE_CHARACTERS);
}
