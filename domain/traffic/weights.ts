/**
 * Route 53 weights for a green share. Each side's weight is its percentage (0–100 of Route 53's 0–255),
 * so the two always add up to 100: never both 0 (Route 53 would then answer evenly, not "none"),
 * and the record pair reads in the console exactly as the plan does.
 */
export interface Weights {
  readonly blue: number;
  readonly green: number;
}

export const ALL_BLUE: Weights = { blue: 100, green: 0 };

export function weightsFor(greenPercent: number): Weights {
  if (!Number.isInteger(greenPercent) || greenPercent < 0 || greenPercent > 100) {
    throw new RangeError(`greenPercent must be a whole number from 0 to 100, got ${greenPercent}`);
  }
  return { blue: 100 - greenPercent, green: greenPercent };
}

/** Green's share of traffic for a pair of weights, as Route 53 splits it. */
export function greenShare(weights: Weights): number {
  const total = weights.blue + weights.green;
  return total === 0 ? 50 : (weights.green / total) * 100;
}
