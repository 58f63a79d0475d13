/**
 * What an operator did: an answer to the workflow's question, a rollback request, a start forced past
 * the promotion order, or a "lessons learned" note on a finished execution.
 */
export type DecisionAction =
  'approve' | 'refuse' | 'continue' | 'roll-forward' | 'restore' | 'rollback' | 'force-promotion' | 'note';

/** One operator decision: who (the authenticated principal, never a self-declared name), what and why. */
export interface Decision {
  readonly at: string;
  readonly principal: string;
  readonly action: DecisionAction;
  readonly reason: string;
  /** What the workflow made of it, e.g. "answered approval", "rollback now". */
  readonly result: string;
}

/** A decision's attributes, as stored: a decision is a new item, never an update. */
export const DECISION_ATTRIBUTES = [
  'at',
  'principal',
  'action',
  'reason',
  'result',
] as const satisfies readonly (keyof Decision)[];

/** Append-only log of the operator decisions on an execution. */
export interface DecisionLog {
  append(execution: string, decision: Decision, signal?: AbortSignal): Promise<void>;
  list(execution: string, signal?: AbortSignal): Promise<Decision[]>;
}
