import fc from 'fast-check';
import { CHUNK_ROWS, nextChunkSize, TARGET_CHUNK_MS } from '../../../domain/verification/chunk-size';
import { rangeLabel } from '../../../domain/verification/key-range';

describe('nextChunkSize', () => {
  it.each([
    ['a chunk at the target keeps its size', 10_000, TARGET_CHUNK_MS, 10_000],
    ['a chunk twice as fast as the target doubles', 10_000, TARGET_CHUNK_MS / 2, 20_000],
    ['a much faster chunk still only doubles', 10_000, 1, 20_000],
    ['a chunk taking 1.25 × the target shrinks to 0.8 ×', 10_000, TARGET_CHUNK_MS * 1.25, 8000],
    ['a much slower chunk only halves', 10_000, TARGET_CHUNK_MS * 50, 5000],
    ['never below the smallest chunk', CHUNK_ROWS.min, TARGET_CHUNK_MS * 10, CHUNK_ROWS.min],
    ['never above the largest chunk', CHUNK_ROWS.max, 1, CHUNK_ROWS.max],
  ])('%s', (_, size, elapsedMs, expected) => {
    expect(nextChunkSize(size, elapsedMs)).toBe(expected);
  });

  it('stays within the chunk bounds and within a factor of two of the last size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: CHUNK_ROWS.min, max: CHUNK_ROWS.max }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (size, elapsedMs) => {
          const next = nextChunkSize(size, elapsedMs);
          expect(next).toBeGreaterThanOrEqual(CHUNK_ROWS.min);
          expect(next).toBeLessThanOrEqual(CHUNK_ROWS.max);
          expect(next).toBeLessThanOrEqual(Math.round(size * 2));
          expect(next).toBeGreaterThanOrEqual(Math.max(Math.round(size / 2), CHUNK_ROWS.min));
        },
      ),
    );
  });
});

describe('rangeLabel', () => {
  it.each([
    [null, ['200'], 'orders(..200]'],
    [['100'], ['200'], 'orders(100..200]'],
    [['eu', '1'], ['eu', '9'], 'orders((eu,1)..(eu,9)]'],
  ])('labels %j..%j as %s', (after, upTo, label) => {
    expect(rangeLabel('orders', after, upTo)).toBe(label);
  });
});
