import { MemoryDecisionLog } from '../../adapters/local/memory-decision-log';
import { NoSuchExecutionError, OperatorConflictError } from '../../domain/errors';
import { executionNameOf } from '../../domain/plan/execution-name';
import type { Plan } from '../../domain/plan/schema';
import type { LiveRehearsal } from '../rehearsal/live-rehearsal';
import type { OperatorPorts } from '../../operations/request-rollback';
import type { OperatorBackend } from '../../operator-api/backend';
import { controlView } from '../../operator-api/control-view';
import {
  outcomeOfStatus,
  type ExecutionHistory,
  type ExecutionStatus,
  type ExecutionSummary,
  type StartResult,
} from '../../operator-api/model';

/** The operator API's backend for a local rehearsal: its one execution, run in this process. */
export class RehearsalBackend implements OperatorBackend {
  readonly decisions = new MemoryDecisionLog();
  private live: LiveRehearsal | undefined;

  /** The rehearsal calls this once its execution runs. */
  attach(live: LiveRehearsal): void {
    this.live = live;
  }

  get ports(): OperatorPorts {
    return this.running().ports;
  }

  /** A rehearsal runs the plan it was given: starting that plan again reports its execution. */
  async start(plan: Plan, name: string): Promise<StartResult> {
    const live = this.running();
    if (name !== executionNameOf(live.plan)) {
      throw new OperatorConflictError(
        `this rehearsal runs plan ${live.plan.name} (execution ${live.execution}), not this version of plan ${plan.name}: rehearse it with cutover rehearse <plan> --console`,
      );
    }
    return {
      execution: live.execution,
      executionArn: live.executionArn,
      status: statusOf(live),
      existing: true,
    };
  }

  async list(): Promise<ExecutionSummary[]> {
    return this.live ? [summary(this.live)] : [];
  }

  async status(execution: string): Promise<ExecutionStatus> {
    const live = this.find(execution);
    const control = await live.ports.control.get(live.executionArn);
    const number = live.stepNumber;
    const step = number === undefined ? undefined : live.steps[number - 1];
    const last = live.weights.at(-1);
    return {
      ...summary(live),
      phase: live.phases.current,
      step: step ? { index: step.index, count: live.steps.length, greenPercent: step.greenPercent } : null,
      weights: last ? { blue: last.blue, green: last.green } : { blue: 100, green: 0 },
      lag: live.lagBytes === undefined ? null : `${live.lagBytes} B`,
      cause: live.result?.status === 'FAILED' ? `${live.result.error}: ${live.result.cause}` : null,
      ...controlView(control, live.scaledPlan, live.result === undefined),
    };
  }

  async history(execution: string): Promise<ExecutionHistory> {
    const live = this.find(execution);
    return {
      execution: live.execution,
      phases: live.phases.spans.map((span) => ({
        name: span.name,
        startedAt: new Date(span.startedAt).toISOString(),
        endedAt: new Date(span.endedAt).toISOString(),
      })),
      weights: live.weights.map((w) => ({ at: new Date(w.at).toISOString(), blue: w.blue, green: w.green })),
      decisions: await this.decisions.list(live.executionArn),
    };
  }

  private running(): LiveRehearsal {
    if (!this.live)
      throw new OperatorConflictError(
        'the rehearsal has not started its execution yet: try again in a moment',
      );
    return this.live;
  }

  private find(execution: string): LiveRehearsal {
    const live = this.live;
    if (!live || (execution !== live.execution && execution !== live.executionArn)) {
      throw new NoSuchExecutionError(
        `no execution ${execution} in this rehearsal${live ? ` (it runs ${live.execution})` : ''}: list them with cutover list`,
      );
    }
    return live;
  }
}

function statusOf(live: LiveRehearsal): string {
  return live.result?.status ?? 'RUNNING';
}

function summary(live: LiveRehearsal): ExecutionSummary {
  const status = statusOf(live);
  return {
    execution: live.execution,
    executionArn: live.executionArn,
    plan: live.plan.name,
    status,
    outcome: outcomeOfStatus(status, live.result?.error),
    startedAt: new Date(live.startedAt).toISOString(),
    stoppedAt:
      live.phases.spans.length && live.result
        ? new Date(live.phases.spans.at(-1)!.endedAt).toISOString()
        : null,
  };
}
