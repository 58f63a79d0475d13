import fc from 'fast-check';
import { ChangedKeys } from '../../../adapters/postgres/change-keys';
import {
  parsePgoutput,
  UNCHANGED_TOAST,
  type Datum,
  type PgoutputMessage,
} from '../../../adapters/postgres/pgoutput-messages';
import { lsnText } from '../../../domain/verification/change-stream';
import { encodePgoutput } from '../../support/pgoutput-encoder';

/** Messages as PostgreSQL 18's pgoutput wrote them (table t: id bigint primary key, v text, b bool). */
const FROM_POSTGRES = {
  relation:
    '52000040017075626c69630074006400030169640000000014ffffffff00760000000019ffffffff00620000000010ffffffff',
  update: '55000040014e0003740000000133740000000179740000000174',
  updateOfKey: '55000040014b00037400000001356e6e4e00037400000003313030740000000178740000000174',
  delete: '44000040014b00037400000001346e6e',
  truncate: '54000000010000004009',
  commit: '43000000000001b8bf680000000001b8bf9800030479df41a66f',
  begin: '420000000001b8bf6800030479df41a66f000002f5',
};
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('parsePgoutput', () => {
  it('reads the messages PostgreSQL wrote', () => {
    expect(parsePgoutput(bytes(FROM_POSTGRES.relation))).toEqual({
      kind: 'relation',
      relationId: 16385,
      schema: 'public',
      name: 't',
      columns: [
        { name: 'id', key: true },
        { name: 'v', key: false },
        { name: 'b', key: false },
      ],
    });
    expect(parsePgoutput(bytes(FROM_POSTGRES.update))).toEqual({
      kind: 'update',
      relationId: 16385,
      old: null,
      values: ['3', 'y', 't'],
    });
    expect(parsePgoutput(bytes(FROM_POSTGRES.updateOfKey))).toEqual({
      kind: 'update',
      relationId: 16385,
      old: { identity: 'key', values: ['5', null, null] },
      values: ['100', 'x', 't'],
    });
    expect(parsePgoutput(bytes(FROM_POSTGRES.delete))).toEqual({
      kind: 'delete',
      relationId: 16385,
      old: { identity: 'key', values: ['4', null, null] },
    });
    expect(parsePgoutput(bytes(FROM_POSTGRES.truncate))).toEqual({ kind: 'truncate', relationIds: [16393] });
    expect(parsePgoutput(bytes(FROM_POSTGRES.commit))).toEqual({ kind: 'commit', endLsn: '0/1B8BF98' });
    expect(parsePgoutput(bytes(FROM_POSTGRES.begin))).toEqual({ kind: 'begin' });
  });

  it('fails on a message it does not know, or one cut short', () => {
    expect(() => parsePgoutput(bytes('5a00'))).toThrow("unknown pgoutput message 'Z'");
    expect(() => parsePgoutput(bytes(FROM_POSTGRES.delete.slice(0, 20)))).toThrow('truncated');
    expect(() => parsePgoutput(bytes('4900004001580000'))).toThrow("expected 'N', found 'X'");
  });

  it('reads back whatever it is given, written as pgoutput writes it', () => {
    fc.assert(
      fc.property(message(), (written) => {
        expect(parsePgoutput(encodePgoutput(written))).toEqual(written);
      }),
    );
  });
});

describe('ChangedKeys', () => {
  const orders = { table: 'orders', relationId: 7, key: ['region', 'id'] };
  const relation = (columns: { name: string; key: boolean }[]): PgoutputMessage => ({
    kind: 'relation',
    relationId: 7,
    schema: 'public',
    name: 'orders',
    columns,
  });
  const keyed = relation([
    { name: 'id', key: true },
    { name: 'note', key: false },
    { name: 'region', key: true },
  ]);

  it('keeps the keys of committed changes in key order, once each, old and new keys of an update', () => {
    const changes = new ChangedKeys([orders]);
    for (const message of [
      { kind: 'begin' },
      keyed,
      { kind: 'insert', relationId: 7, values: ['1', 'a', 'eu'] },
      { kind: 'update', relationId: 7, old: null, values: ['1', 'b', 'eu'] },
      {
        kind: 'update',
        relationId: 7,
        old: { identity: 'key', values: ['2', null, 'eu'] },
        values: ['3', 'c', 'us'],
      },
      { kind: 'delete', relationId: 7, old: { identity: 'key', values: ['4', null, 'us'] } },
      { kind: 'insert', relationId: 99, values: ['elsewhere'] },
    ] satisfies PgoutputMessage[])
      changes.read(message);
    expect(changes.takeCommitted()).toEqual(new Map());

    changes.read({ kind: 'commit', endLsn: '0/500' });

    expect(changes.takeCommitted()).toEqual(
      new Map([
        [
          'orders',
          [
            ['eu', '1'],
            ['eu', '2'],
            ['us', '3'],
            ['us', '4'],
          ],
        ],
      ]),
    );
    expect(changes.lastCommit).toBe('0/500');
    expect(changes.takeCommitted()).toEqual(new Map());
    expect(changes.wholeTables).toEqual(new Map());
  });

  it('marks a table to re-check whole when its changes cannot say which rows changed', () => {
    const truncated = new ChangedKeys([orders]);
    truncated.read(keyed);
    truncated.read({ kind: 'truncate', relationIds: [7] });
    expect(truncated.wholeTables).toEqual(new Map([['orders', 'truncated during the pass']]));

    const identityWithoutKey = new ChangedKeys([orders]);
    identityWithoutKey.read(
      relation([
        { name: 'id', key: true },
        { name: 'region', key: false },
      ]),
    );
    expect(identityWithoutKey.wholeTables.get('orders')).toBe(
      'its replica identity does not carry its primary key',
    );

    const keyNotCarried = new ChangedKeys([orders]);
    keyNotCarried.read(keyed);
    keyNotCarried.read({
      kind: 'delete',
      relationId: 7,
      old: { identity: 'key', values: ['4', null, null] },
    });
    keyNotCarried.read({ kind: 'update', relationId: 7, old: null, values: ['5', 'x', UNCHANGED_TOAST] });
    keyNotCarried.read({ kind: 'commit', endLsn: '0/600' });
    expect(keyNotCarried.wholeTables.get('orders')).toBe('a change did not carry its primary key');
    expect(keyNotCarried.takeCommitted()).toEqual(new Map());
  });

  it('refuses a change of a watched table before its relation message', () => {
    const changes = new ChangedKeys([orders]);
    expect(() => changes.read({ kind: 'insert', relationId: 7, values: ['1', 'a', 'eu'] })).toThrow(
      'a change of orders came before its relation message',
    );
  });

  it('keeps every key of random transactions, as written, once committed', () => {
    const row = fc.tuple(fc.string(), fc.option(fc.string(), { nil: null }), fc.string());
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('insert', 'update', 'delete'), row), { maxLength: 30 }),
        (rows) => {
          const changes = new ChangedKeys([orders]);
          changes.read(parsePgoutput(encodePgoutput(keyed)));
          for (const [kind, values] of rows) {
            const message: PgoutputMessage =
              kind === 'delete'
                ? { kind, relationId: 7, old: { identity: 'full', values } }
                : kind === 'update'
                  ? { kind, relationId: 7, old: null, values }
                  : { kind, relationId: 7, values };
            changes.read(parsePgoutput(encodePgoutput(message)));
          }
          changes.read(parsePgoutput(encodePgoutput({ kind: 'commit', endLsn: '1/0' })));
          const expected = new Map(
            rows.map(([, [id, , region]]) => [JSON.stringify([region, id]), [region, id]]),
          );
          const keys = changes.takeCommitted().get('orders') ?? [];
          expect(new Set(keys.map((key) => JSON.stringify(key)))).toEqual(new Set(expected.keys()));
          expect(keys).toHaveLength(expected.size);
        },
      ),
    );
  });
});

function message(): fc.Arbitrary<PgoutputMessage> {
  const id = fc.integer({ min: 0, max: 0xffffffff });
  const name = fc.string({ unit: 'grapheme', minLength: 1 }).filter((text) => !text.includes('\0'));
  const datum: fc.Arbitrary<Datum> = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.constant(null),
    fc.constant(UNCHANGED_TOAST),
  );
  const values = fc.array(datum, { maxLength: 8 });
  const old = fc.record({ identity: fc.constantFrom('key' as const, 'full' as const), values });
  return fc.oneof(
    fc.constant({ kind: 'begin' as const }),
    fc
      .bigInt({ min: 0n, max: 2n ** 64n - 1n })
      .map((lsn) => ({ kind: 'commit' as const, endLsn: lsnText(lsn) })),
    fc.constantFrom('O', 'Y').map((tag) => ({ kind: 'other' as const, tag })),
    fc.record({
      kind: fc.constant('relation' as const),
      relationId: id,
      schema: name,
      name,
      columns: fc.array(fc.record({ name, key: fc.boolean() }), { maxLength: 8 }),
    }),
    fc.record({ kind: fc.constant('insert' as const), relationId: id, values }),
    fc.record({
      kind: fc.constant('update' as const),
      relationId: id,
      old: fc.option(old, { nil: null }),
      values,
    }),
    fc.record({ kind: fc.constant('delete' as const), relationId: id, old }),
    fc.record({ kind: fc.constant('truncate' as const), relationIds: fc.array(id, { maxLength: 5 }) }),
  );
}
