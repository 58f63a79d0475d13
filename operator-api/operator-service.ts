import { InputError, OperatorConflictError } from '../domain/errors';
import { executionNameOf } from '../domain/plan/execution-name';
import type { Plan } from '../domain/plan/schema';
import { validatePlan } from '../domain/plan/validate';
import { ANSWERS, answerWait, type Answer } from '../operations/answer-wait';
import { requestRollback } from '../operations/request-rollback';
import type { Decision } from '../ports/decision-log';
import type { OperatorBackend } from './backend';
import type { ExecutionStatus, StartResult } from './model';
import type { AllowedPromotion, PromotionGate, StartRequest } from './promotion-gate';

const MAX_REASON = 1000;
/** A lesson is a few paragraphs; a DynamoDB item holds 400 KB, far more. */
const MAX_NOTE = 4000;

export interface OperatorServiceProps {
  readonly backend: OperatorBackend;
  /**
   * The promotion order, when this orchestrator serves one of several environments (`cutover:environment`).
   * @default - no order: plans start as they come
   */
  readonly promotion?: PromotionGate;
  readonly now?: () => Date;
}

/** A start, and how the promotion order allowed it (null when this orchestrator has no environment). */
export type Started = StartResult & { readonly promotion: string | null };

/**
 * What an operator may do, whoever the caller (CLI or console): start a plan, and answer or roll back
 * a running execution. `principal` is the authenticated caller, resolved by the API, never by the body.
 */
export class OperatorService {
  constructor(private readonly props: OperatorServiceProps) {}

  get backend(): OperatorBackend {
    return this.props.backend;
  }

  /**
   * Validates and resolves the plan, checks the promotion order, then starts it under its deterministic
   * execution name. A start forced past the order is recorded in the decision log: who, and why.
   */
  async start(
    planInput: unknown,
    principal: string,
    request: StartRequest = {},
    signal?: AbortSignal,
  ): Promise<Started> {
    const { plan } = validatePlan(planInput);
    const promotion = await this.checkPromotion(plan, request, signal);
    const started = await this.backend.start(plan, executionNameOf(plan), signal);
    if (promotion?.basis === 'forced' && !started.existing) {
      await this.record(
        started.executionArn,
        {
          principal,
          action: 'force-promotion',
          reason: promotion.reason,
          result: `started in ${this.props.promotion!.environment} although plan ${promotion.digest} has not completed in ${promotion.environmentBelow}`,
        },
        signal,
      );
    }
    return { ...started, promotion: promotion ? describePromotion(promotion, principal) : null };
  }

  private async checkPromotion(
    plan: Plan,
    request: StartRequest,
    signal?: AbortSignal,
  ): Promise<AllowedPromotion | undefined> {
    if (this.props.promotion) return this.props.promotion.check(plan, request, signal);
    const unset = 'this orchestrator serves no environment (cdk.json "cutover:environment" is not set)';
    if (request.environment !== undefined) {
      throw new InputError(`--environment: ${unset}; start without --environment`);
    }
    if (request.force !== undefined) {
      throw new InputError(`--force: nothing to override, ${unset}; start without --force`);
    }
    return undefined;
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
    await answerWait(this.backend.ports, {
      execution: status.executionArn,
      name: status.execution,
      actor: principal,
      answer,
    });
    return this.record(
      status.executionArn,
      { principal, action: answer, reason: why, result: `answered ${ANSWERS[answer]}` },
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
    return this.record(status.executionArn, { principal, action: 'rollback', reason: why, result }, signal);
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
      status.executionArn,
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
    executionArn: string,
    decision: Omit<Decision, 'at'>,
    signal?: AbortSignal,
  ): Promise<Decision> {
    const entry = { at: (this.props.now?.() ?? new Date()).toISOString(), ...decision };
    await this.backend.decisions.append(executionArn, entry, signal);
    return entry;
  }
}

/** One line for the operator: why the promotion order let this plan start here. */
function describePromotion(promotion: AllowedPromotion, principal: string): string {
  switch (promotion.basis) {
    case 'lowest-environment':
      return `plan ${promotion.digest}: the lowest environment, nothing to complete first`;
    case 'completed-below':
      return `plan ${promotion.digest} completed in ${promotion.environmentBelow} as ${promotion.execution}`;
    case 'forced':
      return `plan ${promotion.digest} has not completed in ${promotion.environmentBelow}: forced by ${principal} (${promotion.reason}), recorded in the decision log`;
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
