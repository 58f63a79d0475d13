import { createHash } from 'node:crypto';

/** Every verification slot's name starts so: cleanups find leftovers by it, and touch nothing else. */
export const VERIFICATION_SLOT_PREFIX = 'cutover_verify_';

/**
 * The logical-decoding slot an execution's verification pass reads its changes from: one per execution
 * (a retried step finds its own), named from a hash of the execution so the name stays a valid slot name
 * (lowercase letters, digits and `_`, at most 63 characters) whatever the execution's ARN.
 */
export function verificationSlotName(execution: string): string {
  return VERIFICATION_SLOT_PREFIX + createHash('sha256').update(execution).digest('hex').slice(0, 16);
}

/**
 * Rows changed since the pass that still differed once compared (replication lag, or real drift): carried
 * to the freeze, which compares them again. More than this and green's data differs, whatever the lag.
 */
export const MAX_DIFFERING_KEYS = 500;

/**
 * After the chunks are all compared, the pass goes on draining changes until a drain reaches the WAL
 * position of its start; a green that stays this many drains behind blue stops the cutover before the freeze.
 */
export const MAX_CATCH_UP_DRAINS = 12;

/** A WAL position (`16/B374D848`) as a number, to compare two of them. */
export function lsnValue(lsn: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!match) throw new RangeError(`not a WAL position: ${lsn}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** A WAL position in PostgreSQL's notation. */
export function lsnText(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}
