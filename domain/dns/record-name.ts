/**
 * A DNS name as compared everywhere (locks, allowances, Route 53 answers): lower case, without the
 * trailing dot, and with Route 53's octal escapes (`\052` for `*`) decoded.
 */
export function normalizeRecordName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .toLowerCase()
    .replace(/\.$/, '');
}

export function sameRecordName(a: string, b: string): boolean {
  return normalizeRecordName(a) === normalizeRecordName(b);
}

/** The longest TTL among records: how long clients may keep the previous answer. */
export function longestTtl(records: readonly { readonly ttl: number }[]): number {
  return Math.max(...records.map((r) => r.ttl));
}
