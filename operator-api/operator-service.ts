import { InputError, OperatorConflictError } from '../domain/errors';
import { executionNameOf } from '../domain/plan/execution-name';
import type { Plan } from '../domain/plan/schema';
import { validatePlan } from '../domain/plan/validate';
import { ANSWERS, answerWait, type Answer } from '../operations/answer-wait';
import { requestRollback } from '../operations/request-rollback';
import type { Decision } from '../ports/decision-log';
import type { OperatorBackend } from './backend';
import type { ExecutionStatus, StartResult } from './model';

const MAX_REASON = 1000;
/** A lesson is a few paragraphs; a DynamoDB item holds 400 KB, far more. */
const MAX_NOTE = 4000;

/** A check a plan must pass before it starts (e.g. promotion between environments); throws to refuse. */
export type StartCheck = (plan: Plan, signal?: AbortSignal) => Promise<void>;

export interface OperatorServiceProps {
  readonly backend: OperatorBackend;
  /** Run in order after validation, before the execution starts. @default - none */
  readonly startChecks?: readonly StartCheck[];
  readonly now?: () => Date;
}

/**
 * What an operator may do, whoever the caller (CLI or console): start a plan, and answer or roll back
 * a running execution. `principal` is the authenticated caller, resolved by the API, never by the body.
 */
export class OperatorService {
  constructor(private readonly props: OperatorServiceProps) {}

  get backend(): OperatorBackend {
    return this.props.backend;
  }

  /** Validates and resolves the plan, then starts it under its deterministic execution name. */
  async start(planInput: unknown, signal?: AbortSignal): Promise<StartResult> {
    const { plan } = validatePlan(planInput);
    for (const check of this.props.startChecks ?? []) await check(plan, signal);
    return this.backend.start(plan, executionNameOf(plan), signal);
  }

  async answer(
    execution: string,
    answer: Answer,
    principal: string,
    reason: string,
    signal?: AbortSignal,
  ): Promise<Decision> {
    const why = checkedReason(reason);
    const status = await this.running(execution, answer, signal);
    const expected = ANSWERS[answer];
    if (status.pending?.kind !== expected) {
      const waiting = status.pending
        ? `it waits for ${status.pending.kind}`
        : 'nothing waits for an operator';
      throw new OperatorConflictError(
        `execution ${status.execution} is not waiting for ${expected} (${waiting}): nothing to ${answer}`,
      );
    }
    await answerWait(this.backend.ports, { execution: status.executionArn, actor: principal, answer });
    return this.record(
      status,
      { principal, action: answer, reason: why, result: `answered ${expected}` },
      signal,
    );
  }

  async rollback(
    execution: string,
    principal: string,
    reason: string,
    signal?: AbortSignal,
  ): Promise<Decision> {
    const why = checkedReason(reason);
    const status = await this.running(execution, 'rollback', signal);
    const delivery = await requestRollback(this.backend.ports, {
      execution: status.executionArn,
      actor: principal,
      reason: why,
    });
    const result = {
      now: 'rolling back now',
      restore: 'restoring blue (past the point of no return)',
      'next-check': 'rollback at the next step',
    }[delivery];
    return this.record(status, { principal, action: 'rollback', reason: why, result }, signal);
  }

  /**
   * Appends a "lessons learned" note to the decision log of a finished execution (completed, rolled back
   * or failed): lessons are what an ended cutover taught, so a running one is refused.
   */
  async note(execution: string, principal: string, text: unknown, signal?: AbortSignal): Promise<Decision> {
    const lesson = checkedText('text', text, MAX_NOTE, 'write the lesson learned');
    const status = await this.backend.status(execution, signal);
    if (status.outcome === 'running') {
      throw new OperatorConflictError(
        `execution ${status.execution} is still running: note the lessons learned once it has ended (completed, rolled back or failed)`,
      );
    }
    return this.record(
      status,
      { principal, action: 'note', reason: lesson, result: `lessons learned (${status.outcome})` },
      signal,
    );
  }

  private async running(execution: string, action: string, signal?: AbortSignal): Promise<ExecutionStatus> {
    const status = await this.backend.status(execution, signal);
    if (status.outcome !== 'running') {
      throw new OperatorConflictError(
        `execution ${status.execution} has ended (${status.outcome}): nothing to ${action}`,
      );
    }
    return status;
  }

  private async record(
    status: ExecutionStatus,
    decision: Omit<Decision, 'at'>,
    signal?: AbortSignal,
  ): Promise<Decision> {
    const entry = { at: (this.props.now?.() ?? new Date()).toISOString(), ...decision };
    await this.backend.decisions.append(status.executionArn, entry, signal);
    return entry;
  }
}

/** A decision needs a reason, in one paragraph. */
export function checkedReason(reason: unknown): string {
  return checkedText('reason', reason, MAX_REASON, 'say why (it goes to the decision log)');
}

/** Text for the decision log: not blank, not longer than `max` characters; trimmed. */
function checkedText(field: string, text: unknown, max: number, hint: string): string {
  if (typeof text !== 'string' || !text.trim()) {
    throw new InputError(`${field}: must not be empty; ${hint}`);
  }
  if (text.length > max) {
    throw new InputError(`${field}: ${text.length} characters is too long; at most ${max}`);
  }
  return text.trim();
}
