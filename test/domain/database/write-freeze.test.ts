import fc from 'fast-check';
import { freezeTimeLeftMs, unfreezeBy } from '../../../domain/database/write-freeze';

describe('the write freeze’s deadline', () => {
  const frozenAt = new Date('2026-11-30T10:00:00.000Z');

  it.each([
    [2, '2026-11-30T10:00:02.000Z'],
    [10, '2026-11-30T10:00:10.000Z'],
    [0.5, '2026-11-30T10:00:00.500Z'],
  ])('is maxWriteFreeze (%ss) after the moment writes stop', (seconds, expected) => {
    expect(unfreezeBy(frozenAt, seconds).toISOString()).toBe(expected);
  });

  it('leaves the time to the deadline, 0 at it and less past it, from its ISO form as from a date', () => {
    const deadline = unfreezeBy(frozenAt, 2);
    expect(freezeTimeLeftMs(deadline.toISOString(), new Date('2026-11-30T10:00:01.250Z'))).toBe(750);
    expect(freezeTimeLeftMs(deadline, deadline)).toBe(0);
    expect(freezeTimeLeftMs(deadline, new Date('2026-11-30T10:00:03.000Z'))).toBe(-1000);
  });

  it('has the whole freeze left at the moment writes stop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (seconds) => {
        expect(freezeTimeLeftMs(unfreezeBy(frozenAt, seconds).toISOString(), frozenAt)).toBe(seconds * 1000);
      }),
    );
  });
});
