/** A primary key as text: "42", or "(eu,42)" for a composite key. */
export function keyLabel(values: readonly string[]): string {
  return values.length === 1 ? (values[0] ?? '') : `(${values.join(',')})`;
}

/** "orders(100..200]": a key range, exclusive below (nothing when it starts at the first row), inclusive above. */
export function rangeLabel(
  table: string,
  after: readonly string[] | null | undefined,
  upTo: readonly string[] | null | undefined,
): string {
  return `${table}(${after ? keyLabel(after) : ''}..${upTo ? keyLabel(upTo) : ''}]`;
}
