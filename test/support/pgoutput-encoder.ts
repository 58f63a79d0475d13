import { lsnValue } from '../../domain/verification/change-stream';
import { UNCHANGED_TOAST, type Datum, type PgoutputMessage } from '../../adapters/postgres/pgoutput-messages';

/** Writes a message as pgoutput (protocol 1) does, for tests of the parser. */
export function encodePgoutput(message: PgoutputMessage): Uint8Array {
  const out = new Writer();
  switch (message.kind) {
    case 'begin':
      out.char('B').int64(0x1b8bf68n).int64(123_456_789n).uint32(757);
      break;
    case 'commit':
      out
        .char('C')
        .byte(0)
        .int64(lsnValue(message.endLsn) - 48n)
        .int64(lsnValue(message.endLsn))
        .int64(1n);
      break;
    case 'other':
      if (message.tag === 'O') out.char('O').int64(42n).string('origin');
      else out.char('Y').uint32(16_400).string('public').string('mood');
      break;
    case 'relation':
      out
        .char('R')
        .uint32(message.relationId)
        .string(message.schema === 'pg_catalog' ? '' : message.schema)
        .string(message.name)
        .byte('d'.charCodeAt(0))
        .int16(message.columns.length);
      for (const column of message.columns)
        out
          .byte(column.key ? 1 : 0)
          .string(column.name)
          .uint32(25)
          .uint32(-1);
      break;
    case 'insert':
      out.char('I').uint32(message.relationId).char('N').tuple(message.values);
      break;
    case 'update':
      out.char('U').uint32(message.relationId);
      if (message.old) out.char(message.old.identity === 'key' ? 'K' : 'O').tuple(message.old.values);
      out.char('N').tuple(message.values);
      break;
    case 'delete':
      out
        .char('D')
        .uint32(message.relationId)
        .char(message.old.identity === 'key' ? 'K' : 'O')
        .tuple(message.old.values);
      break;
    case 'truncate':
      out.char('T').uint32(message.relationIds.length).byte(0);
      for (const id of message.relationIds) out.uint32(id);
      break;
  }
  return out.bytes();
}

class Writer {
  private readonly parts: number[] = [];

  byte(value: number): this {
    this.parts.push(value & 0xff);
    return this;
  }

  char(value: string): this {
    return this.byte(value.charCodeAt(0));
  }

  int16(value: number): this {
    return this.byte(value >> 8).byte(value);
  }

  uint32(value: number): this {
    return this.byte(value >>> 24)
      .byte(value >>> 16)
      .byte(value >>> 8)
      .byte(value);
  }

  int64(value: bigint): this {
    return this.uint32(Number(value >> 32n)).uint32(Number(value & 0xffffffffn));
  }

  string(value: string): this {
    for (const byte of new TextEncoder().encode(value)) this.byte(byte);
    return this.byte(0);
  }

  tuple(values: readonly Datum[]): this {
    this.int16(values.length);
    for (const value of values) {
      if (value === null) this.char('n');
      else if (value === UNCHANGED_TOAST) this.char('u');
      else {
        const bytes = new TextEncoder().encode(value);
        this.char('t').uint32(bytes.length);
        for (const byte of bytes) this.byte(byte);
      }
    }
    return this;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
