import type { Plan } from '../../domain/plan/schema';
import type { ShiftStep } from '../../domain/schedule/schedule';
import type { LocalExecutionResult } from '../workflow-runner';
import type { PhaseTracker } from '../../domain/progress/phase-tracker';
import type { RehearsalPorts } from './rehearsal-ports';

/** What a running rehearsal shows its operator API: the execution, its phases, weights and lag, live. */
export class LiveRehearsal {
  readonly weights: { at: number; blue: number; green: number }[] = [];
  lagBytes: number | undefined;
  result: LocalExecutionResult | undefined;

  constructor(
    readonly execution: string,
    readonly executionArn: string,
    /** The plan as given (the one `cutover start` would send), and as run (time-scaled). */
    readonly plan: Plan,
    readonly scaledPlan: Plan,
    readonly steps: readonly ShiftStep[],
    readonly startedAt: number,
    readonly ports: RehearsalPorts,
    readonly phases: PhaseTracker,
  ) {}

  /** Keeps a point per change of the weights served. */
  recordWeights(at: number, weights: { blue: number; green: number }): void {
    const last = this.weights.at(-1);
    if (last && last.green === weights.green && last.blue === weights.blue) return;
    this.weights.push({ at, ...weights });
  }

  /** The shift step the workflow is at (1-based), from its phase. */
  get stepNumber(): number | undefined {
    const match = /^shift-(\d+)$/.exec(this.phases.current);
    return match ? Number(match[1]) : undefined;
  }
}
