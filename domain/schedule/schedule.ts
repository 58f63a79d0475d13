import type { Weights } from '../traffic/weights';

export type PhaseKind =
  'preflight' | 'deploy' | 'shift' | 'database-prepare' | 'database-switch' | 'finalize';

export interface Phase {
  readonly id: string;
  readonly kind: PhaseKind;
  readonly title: string;
  /** Green's share of traffic once the phase is done. */
  readonly greenPercent: number;
  readonly weights: Weights;
  readonly bakeSeconds: number;
  readonly earliestSeconds: number;
  readonly worstSeconds: number;
  readonly cumulativeEarliestSeconds: number;
  readonly cumulativeWorstSeconds: number;
  /** False from the database switch on: failures there pause for a human instead of rolling back. */
  readonly reversible: boolean;
  readonly pointOfNoReturn: boolean;
  /** What happens if this phase fails. */
  readonly onFailure: string;
}

export interface ShiftStep {
  readonly index: number;
  readonly greenPercent: number;
  readonly weights: Weights;
  readonly bakeSeconds: number;
  /** The longest TTL among the shifted records: how long clients may keep the previous answer. */
  readonly ttlSeconds: number;
}

export interface Schedule {
  readonly name: string;
  readonly steps: readonly ShiftStep[];
  readonly phases: readonly Phase[];
  readonly earliestSeconds: number;
  readonly worstCaseSeconds: number;
}
