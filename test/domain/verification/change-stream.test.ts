import fc from 'fast-check';
import {
  lsnText,
  lsnValue,
  VERIFICATION_SLOT_PREFIX,
  verificationSlotName,
} from '../../../domain/verification/change-stream';

describe('verificationSlotName', () => {
  it('names one slot per execution, valid as a PostgreSQL slot name whatever the execution', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 2000 }), (execution) => {
        const name = verificationSlotName(execution);
        expect(name).toMatch(/^[a-z0-9_]{1,63}$/);
        expect(name.startsWith(VERIFICATION_SLOT_PREFIX)).toBe(true);
        expect(verificationSlotName(execution)).toBe(name);
      }),
    );
    const arn = 'arn:aws:states:eu-west-1:123456789012:execution:cutover:run-1';
    expect(verificationSlotName(arn)).not.toBe(verificationSlotName(`${arn}x`));
  });
});

describe('WAL positions', () => {
  it.each([
    ['0/0', 0n],
    ['0/1B8BF98', 0x1b8bf98n],
    ['16/B374D848', (0x16n << 32n) | 0xb374d848n],
    ['FFFFFFFF/FFFFFFFF', 2n ** 64n - 1n],
  ])('%s is %d', (text, value) => {
    expect(lsnValue(text)).toBe(value);
    expect(lsnText(value)).toBe(text);
  });

  it('reads PostgreSQL 18 zero-padded positions and lowercase ones', () => {
    expect(lsnValue('0/01B8BF98')).toBe(0x1b8bf98n);
    expect(lsnValue('16/b374d848')).toBe(lsnValue('16/B374D848'));
  });

  it('fails on what is not a position', () => {
    expect(() => lsnValue('16-B374D848')).toThrow('not a WAL position: 16-B374D848');
  });

  it('orders as PostgreSQL does', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (a, b) => {
          expect(lsnValue(lsnText(a)) < lsnValue(lsnText(b))).toBe(a < b);
        },
      ),
    );
  });
});
