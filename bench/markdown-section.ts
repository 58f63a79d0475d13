/**
 * Replaces the section of BENCHMARKS.md that starts with `heading` (up to the next `## ` heading), or
 * appends it: a bench part rewrites its own section only.
 */
export function replaceSection(markdown: string, heading: string, section: string): string {
  const start = markdown.search(new RegExp(`^${escapeRegExp(heading)}`, 'm'));
  if (start < 0) return `${markdown.trimEnd()}\n\n${section.trimEnd()}\n`;
  const next = markdown.slice(start + 1).search(/^## /m);
  const end = next < 0 ? markdown.length : start + 1 + next;
  return `${markdown.slice(0, start)}${section.trimEnd()}\n\n${markdown.slice(end)}`.trimEnd() + '\n';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
