import type { Decision, DecisionLog } from '../../ports/decision-log';

/** Operator decisions in memory: the rehearsal's decision log. */
export class MemoryDecisionLog implements DecisionLog {
  private readonly decisions = new Map<string, Decision[]>();

  async append(execution: string, decision: Decision): Promise<void> {
    this.decisions.set(execution, [...(this.decisions.get(execution) ?? []), { ...decision }]);
  }

  async list(execution: string): Promise<Decision[]> {
    return [...(this.decisions.get(execution) ?? [])];
  }
}
