import { lsnText } from '../../domain/verification/change-stream';

/**
 * The messages of PostgreSQL's built-in `pgoutput` plugin, protocol version 1, as the SQL interface
 * (`pg_logical_slot_peek_binary_changes`) returns them: one message per row. Column values stay text
 * exactly as the source printed them (no conversion to JS types): they are looked up again as keys.
 * See "Logical Replication Message Formats" in the PostgreSQL documentation.
 */

/** A TOASTed value the change did not touch: pgoutput leaves it out (`u`). */
export const UNCHANGED_TOAST: unique symbol = Symbol('unchanged TOAST value');

export type Datum = string | null | typeof UNCHANGED_TOAST;

export interface RelationColumn {
  readonly name: string;
  /** Part of the replica identity (with REPLICA IDENTITY FULL, every column is). */
  readonly key: boolean;
}

/** The row before an update or delete: its replica identity's columns (`K`) or all of them (`O`). */
export interface OldTuple {
  readonly identity: 'key' | 'full';
  readonly values: readonly Datum[];
}

export type PgoutputMessage =
  | { readonly kind: 'begin' }
  | { readonly kind: 'commit'; readonly endLsn: string }
  | {
      readonly kind: 'relation';
      readonly relationId: number;
      readonly schema: string;
      readonly name: string;
      readonly columns: readonly RelationColumn[];
    }
  | { readonly kind: 'insert'; readonly relationId: number; readonly values: readonly Datum[] }
  | {
      readonly kind: 'update';
      readonly relationId: number;
      readonly old: OldTuple | null;
      readonly values: readonly Datum[];
    }
  | { readonly kind: 'delete'; readonly relationId: number; readonly old: OldTuple }
  | { readonly kind: 'truncate'; readonly relationIds: readonly number[] }
  /** Origin and Type messages: nothing a verification needs. */
  | { readonly kind: 'other'; readonly tag: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses one message; throws on a message it cannot read (a protocol it does not know). */
export function parsePgoutput(data: Uint8Array): PgoutputMessage {
  const reader = new Reader(data);
  const tag = String.fromCharCode(reader.byte());
  switch (tag) {
    case 'B':
      return { kind: 'begin' };
    case 'C': {
      reader.byte(); // flags
      reader.int64(); // the commit's LSN
      return { kind: 'commit', endLsn: lsnText(reader.int64()) };
    }
    case 'O':
    case 'Y':
      return { kind: 'other', tag };
    case 'R': {
      const relationId = reader.uint32();
      const schema = reader.string() || 'pg_catalog';
      const name = reader.string();
      reader.byte(); // replica identity setting
      const columns = Array.from({ length: reader.int16() }, () => {
        const flags = reader.byte();
        const column = { name: reader.string(), key: (flags & 1) === 1 };
        reader.uint32(); // type
        reader.uint32(); // type modifier
        return column;
      });
      return { kind: 'relation', relationId, schema, name, columns };
    }
    case 'I': {
      const relationId = reader.uint32();
      reader.expect('N');
      return { kind: 'insert', relationId, values: reader.tuple() };
    }
    case 'U': {
      const relationId = reader.uint32();
      const marker = String.fromCharCode(reader.byte());
      const old = marker === 'N' ? null : reader.oldTuple(marker);
      if (old) reader.expect('N');
      return { kind: 'update', relationId, old, values: reader.tuple() };
    }
    case 'D': {
      const relationId = reader.uint32();
      return { kind: 'delete', relationId, old: reader.oldTuple(String.fromCharCode(reader.byte())) };
    }
    case 'T': {
      const count = reader.uint32();
      reader.byte(); // options: CASCADE, RESTART IDENTITY
      return { kind: 'truncate', relationIds: Array.from({ length: count }, () => reader.uint32()) };
    }
    default:
      throw new Error(`unknown pgoutput message '${tag}'`);
  }
}

class Reader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  byte(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }

  int16(): number {
    this.need(2);
    const value = this.view.getInt16(this.offset);
    this.offset += 2;
    return value;
  }

  uint32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  int64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return value;
  }

  /** A NUL-terminated string. */
  string(): string {
    const end = this.data.indexOf(0, this.offset);
    if (end < 0) throw new Error('pgoutput message: unterminated string');
    const text = utf8.decode(this.data.subarray(this.offset, end));
    this.offset = end + 1;
    return text;
  }

  expect(marker: string): void {
    const found = String.fromCharCode(this.byte());
    if (found !== marker) throw new Error(`pgoutput message: expected '${marker}', found '${found}'`);
  }

  oldTuple(marker: string): OldTuple {
    if (marker !== 'K' && marker !== 'O') throw new Error(`pgoutput message: unknown old tuple '${marker}'`);
    return { identity: marker === 'K' ? 'key' : 'full', values: this.tuple() };
  }

  tuple(): Datum[] {
    return Array.from({ length: this.int16() }, (): Datum => {
      const kind = String.fromCharCode(this.byte());
      if (kind === 'n') return null;
      if (kind === 'u') return UNCHANGED_TOAST;
      if (kind !== 't') throw new Error(`pgoutput message: column value of kind '${kind}'`);
      const length = this.uint32();
      this.need(length);
      const text = utf8.decode(this.data.subarray(this.offset, this.offset + length));
      this.offset += length;
      return text;
    });
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.data.length) throw new Error('pgoutput message: truncated');
  }
}
