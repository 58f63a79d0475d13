import fc from 'fast-check';
import { CATCH_UP_POLL, catchUpPollWindowMs } from '../../../domain/database/catch-up-poll';

const now = new Date('2026-11-30T10:00:00.000Z');
const inMs = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('catchUpPollWindowMs', () => {
  it.each([
    ['a few seconds when the freeze and the invocation have plenty left', inMs(10_000), 120_000, 3000],
    ['no further than the freeze’s deadline', inMs(1200), 120_000, 1200],
    ['0 once the deadline has passed: read once', inMs(-500), 120_000, 0],
    ['not into the invocation’s last seconds', inMs(10_000), 3500, 3500 - CATCH_UP_POLL.reserveMs],
    ['0 when the invocation is about to end', inMs(10_000), 1000, 0],
    ['the window alone with nothing frozen and no invocation bound', null, undefined, 3000],
  ])('%s', (_, unfreezeBy, invocationLeftMs, expected) => {
    expect(catchUpPollWindowMs({ now, unfreezeBy, invocationLeftMs })).toBe(expected);
  });

  it('never exceeds the window, the freeze or the invocation, and is never negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -60_000, max: 600_000 }),
        fc.integer({ min: 0, max: 900_000 }),
        (freezeLeftMs, invocationLeftMs) => {
          const window = catchUpPollWindowMs({ now, unfreezeBy: inMs(freezeLeftMs), invocationLeftMs });
          expect(window).toBeGreaterThanOrEqual(0);
          expect(window).toBeLessThanOrEqual(CATCH_UP_POLL.windowMs);
          expect(window).toBeLessThanOrEqual(Math.max(0, freezeLeftMs));
          expect(window).toBeLessThanOrEqual(Math.max(0, invocationLeftMs - CATCH_UP_POLL.reserveMs));
        },
      ),
    );
  });
});
