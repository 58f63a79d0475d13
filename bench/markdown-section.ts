/**
 * Replaces the section of BENCHMARKS.md that starts with `heading` (up to the next `## ` heading), or
 * appends it: a bench part rewrites its own section only.
 */
export function replaceSection(markdown: string, heading: string, section: string): string {
  const found = locate(markdown, heading);
  if (!found) return `${markdown.trimEnd()}\n\n${section.trimEnd()}\n`;
  return (
    `${markdown.slice(0, found.start)}${section.trimEnd()}\n\n${markdown.slice(found.end)}`.trimEnd() + '\n'
  );
}

/** The section of `markdown` that starts with `heading` (up to the next `## ` heading), if it has one. */
export function sectionOf(markdown: string, heading: string): string | undefined {
  const found = locate(markdown, heading);
  return found && markdown.slice(found.start, found.end);
}

function locate(markdown: string, heading: string): { start: number; end: number } | undefined {
  const start = markdown.search(new RegExp(`^${escapeRegExp(heading)}`, 'm'));
  if (start < 0) return undefined;
  const next = markdown.slice(start + 1).search(/^## /m);
  return { start, end: next < 0 ? markdown.length : start + 1 + next };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
