const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute value, safe inside SVG markup. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Coordinates with one decimal: enough for a screen, and half the bytes. */
export function fixed(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A rough width of `text` at `fontSize`, for layout without measuring (sans-serif averages ~0.56 em). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.56;
}
