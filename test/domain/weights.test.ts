import { expandSteps } from '../../domain/traffic/strategy';
import { greenShare, weightsFor } from '../../domain/traffic/weights';

describe('Route 53 weights for a green share', () => {
  it.each([
    [0, { blue: 100, green: 0 }],
    [1, { blue: 99, green: 1 }],
    [10, { blue: 90, green: 10 }],
    [50, { blue: 50, green: 50 }],
    [99, { blue: 1, green: 99 }],
    [100, { blue: 0, green: 100 }],
  ])('%d %% green is weights %j', (percent, weights) => {
    expect(weightsFor(percent)).toEqual(weights);
    expect(greenShare(weights)).toBe(percent);
  });

  it.each([-1, 101, 12.5, Number.NaN])('fails when the share is %d', (percent) => {
    expect(() => weightsFor(percent)).toThrow(RangeError);
  });

  it('reads both-zero weights as Route 53 does: an even split', () => {
    expect(greenShare({ blue: 0, green: 0 })).toBe(50);
  });
});

describe('traffic strategies', () => {
  const traffic = { bake: '5m', onHealthFailure: 'rollback', decisionTimeout: '30m' } as const;
  it.each([
    [{ kind: 'all-at-once' } as const, [100]],
    [{ kind: 'canary', canaryPercent: 5 } as const, [5, 100]],
    [{ kind: 'linear', stepPercent: 25 } as const, [25, 50, 75, 100]],
    [{ kind: 'linear', stepPercent: 30 } as const, [30, 60, 90, 100]],
    [{ kind: 'linear', stepPercent: 50 } as const, [50, 100]],
  ])('%j expands to %j', (strategy, steps) => {
    expect(expandSteps({ ...traffic, strategy })).toEqual(steps);
  });

  it('keeps explicit steps as written', () => {
    expect(expandSteps({ ...traffic, steps: [1, 10, 50, 100] })).toEqual([1, 10, 50, 100]);
  });
});
