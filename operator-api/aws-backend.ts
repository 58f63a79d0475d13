import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  type ExecutionListItem,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbControlSignals } from '../adapters/aws/dynamodb-control-signals';
import { withSignal } from '../adapters/aws/send-options';
import { DynamoDbDecisionLog } from '../adapters/aws/dynamodb-decision-log';
import { SfnTaskCallbacks } from '../adapters/aws/sfn-task-callbacks';
import { NoSuchExecutionError, OperatorConflictError } from '../domain/errors';
import { planNameOf } from '../domain/plan/execution-name';
import type { Plan } from '../domain/plan/schema';
import { validatePlan } from '../domain/plan/validate';
import { PhaseTracker } from '../domain/progress/phase-tracker';
import type { OperatorPorts } from '../operations/request-rollback';
import type { OperatorBackend } from './backend';
import { controlView } from './control-view';
import {
  outcomeOfStatus,
  type ExecutionHistory,
  type ExecutionStatus,
  type ExecutionSummary,
  type StartResult,
} from './model';

export interface AwsBackendProps {
  readonly sfn: SFNClient;
  readonly documents: DynamoDBDocumentClient;
  readonly stateMachineArn: string;
  readonly tableName: string;
}

/** The operator API's backend on AWS: Step Functions for executions, the control table for signals and decisions. */
export class AwsBackend implements OperatorBackend {
  readonly ports: OperatorPorts;
  readonly decisions: DynamoDbDecisionLog;

  constructor(private readonly props: AwsBackendProps) {
    this.ports = {
      control: new DynamoDbControlSignals(props.documents, props.tableName),
      callbacks: new SfnTaskCallbacks(props.sfn),
    };
    this.decisions = new DynamoDbDecisionLog(props.documents, props.tableName);
  }

  /** `arn:…:stateMachine:Name` → `arn:…:execution:Name:execution`. */
  executionArn(execution: string): string {
    return `${this.props.stateMachineArn.replace(':stateMachine:', ':execution:')}:${execution}`;
  }

  async start(plan: Plan, name: string, signal?: AbortSignal): Promise<StartResult> {
    const running = await this.listItems('RUNNING', signal);
    const same = running.find((e) => e.name === name);
    if (same) return { execution: name, executionArn: same.executionArn!, status: 'RUNNING', existing: true };
    const other = running.find((e) => e.name && planNameOf(e.name) === plan.name);
    if (other) {
      throw new OperatorConflictError(
        `another version of plan ${plan.name} is running as ${other.name}: wait for it to end or roll it back (cutover rollback ${other.name} --reason …) before starting this one`,
      );
    }
    try {
      const { executionArn } = await this.props.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.props.stateMachineArn,
          name,
          input: JSON.stringify({ plan }),
        }),
        withSignal(signal),
      );
      return { execution: name, executionArn: executionArn!, status: 'RUNNING', existing: false };
    } catch (error) {
      // The same plan ran before (names are unique for 90 days): report that execution.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
      const { status } = await this.describe(name, signal);
      return {
        execution: name,
        executionArn: this.executionArn(name),
        status: status ?? 'UNKNOWN',
        existing: true,
      };
    }
  }

  async list(signal?: AbortSignal): Promise<ExecutionSummary[]> {
    return (await this.listItems(undefined, signal)).map((e) => ({
      execution: e.name!,
      executionArn: e.executionArn!,
      plan: planNameOf(e.name!) ?? e.name!,
      status: e.status!,
      outcome: outcomeOfStatus(e.status!, undefined),
      startedAt: e.startDate!.toISOString(),
      stoppedAt: e.stopDate?.toISOString() ?? null,
    }));
  }

  async status(execution: string, signal?: AbortSignal): Promise<ExecutionStatus> {
    const described = await this.describe(execution, signal);
    const executionArn = this.executionArn(execution);
    const plan = validatePlan((JSON.parse(described.input ?? '{}') as { plan?: unknown }).plan).plan;
    const [events, control] = await Promise.all([
      this.events(executionArn, signal),
      this.ports.control.get(executionArn, signal),
    ]);
    const view = readEvents(events);
    const status = described.status!;
    const weights = view.weights.at(-1);
    return {
      execution,
      executionArn,
      plan: plan.name,
      status,
      outcome: outcomeOfStatus(status, described.error),
      startedAt: described.startDate!.toISOString(),
      stoppedAt: described.stopDate?.toISOString() ?? null,
      phase: view.phases.current,
      step: view.step,
      weights: weights ? { blue: weights.blue, green: weights.green } : { blue: 100, green: 0 },
      lag: null,
      cause: described.error ? `${described.error}: ${described.cause ?? ''}` : null,
      ...controlView(control, plan, status === 'RUNNING'),
    };
  }

  async history(execution: string, signal?: AbortSignal): Promise<ExecutionHistory> {
    await this.describe(execution, signal);
    const executionArn = this.executionArn(execution);
    const view = readEvents(await this.events(executionArn, signal));
    return {
      execution,
      phases: view.phases.spans.map((s) => ({
        name: s.name,
        startedAt: new Date(s.startedAt).toISOString(),
        endedAt: new Date(s.endedAt).toISOString(),
      })),
      weights: view.weights,
      decisions: await this.decisions.list(executionArn, signal),
    };
  }

  private async describe(execution: string, signal?: AbortSignal) {
    try {
      return await this.props.sfn.send(
        new DescribeExecutionCommand({ executionArn: this.executionArn(execution) }),
        withSignal(signal),
      );
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) {
        throw new NoSuchExecutionError(
          `no execution ${execution} of this orchestrator: list them with cutover list`,
        );
      }
      throw error;
    }
  }

  private async listItems(
    statusFilter: 'RUNNING' | undefined,
    signal?: AbortSignal,
  ): Promise<ExecutionListItem[]> {
    const items: ExecutionListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.props.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: this.props.stateMachineArn,
          maxResults: 100,
          ...(statusFilter ? { statusFilter } : {}),
          ...(nextToken ? { nextToken } : {}),
        }),
        withSignal(signal),
      );
      items.push(...(page.executions ?? []));
      nextToken = page.nextToken;
      // The list answers "what ran lately": the first 500 are enough for it.
    } while (nextToken && items.length < 500);
    return items;
  }

  private async events(executionArn: string, signal?: AbortSignal): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.props.sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          maxResults: 1000,
          includeExecutionData: true,
          ...(nextToken ? { nextToken } : {}),
        }),
        withSignal(signal),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }
}

/** Phases, the current shift step and the weights over time, from the states entered. */
function readEvents(events: readonly HistoryEvent[]) {
  const phases = new PhaseTracker();
  const weights: { at: string; blue: number; green: number }[] = [];
  let step: ExecutionStatus['step'] = null;
  for (const event of events) {
    const entered = event.stateEnteredEventDetails;
    if (!entered?.name || !event.timestamp) continue;
    phases.enter(entered.name, event.timestamp.getTime());
    const at = event.timestamp.toISOString();
    if (entered.name === 'SetWeights') {
      const input = JSON.parse(entered.input ?? '{}') as {
        current?: { step?: { index: number; greenPercent: number } };
        context?: { stepCount?: number };
      };
      const current = input.current?.step;
      if (current) {
        step = {
          index: current.index,
          count: input.context?.stepCount ?? 0,
          greenPercent: current.greenPercent,
        };
        weights.push({ at, blue: 100 - current.greenPercent, green: current.greenPercent });
      }
    }
    if (entered.name === 'CheckRollbackInSync' && weights.at(-1)?.green !== 0)
      weights.push({ at, blue: 100, green: 0 });
  }
  const last = events.at(-1);
  if (last?.timestamp) phases.finish(last.timestamp.getTime());
  return { phases, weights, step };
}
