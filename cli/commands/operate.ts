import { setTimeout as sleep } from 'node:timers/promises';
import type { Answer } from '../../operations/answer-wait';
import type { Decision } from '../../ports/decision-log';
import type { ExecutionHistory, ExecutionStatus, ExecutionSummary } from '../../operator-api/model';
import type { Started } from '../../operator-api/operator-service';
import type { StartRequest } from '../../operator-api/promotion-gate';
import { ExitCode, type CliIo } from '../io';
import { loadPlan } from '../load-plan';
import { resolveEndpoint, type EndpointOptions, type OperatorEndpoint } from '../operator-endpoint';
import { historyText, listText, statusLine, statusText } from '../render/execution-text';

export const OUTPUT_FORMATS = ['text', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OperateOptions extends EndpointOptions {
  readonly output: OutputFormat;
  readonly signal?: AbortSignal;
}

/** Execution names go in URLs; an ARN given instead is reduced to its name (its last part). */
function nameOf(execution: string): string {
  return encodeURIComponent(
    execution.startsWith('arn:') ? execution.slice(execution.lastIndexOf(':') + 1) : execution,
  );
}

function print(io: CliIo, options: OperateOptions, value: unknown, text: string): void {
  io.out(options.output === 'json' ? JSON.stringify(value, null, 2) : text);
}

/** The operator's verbs: thin calls to the operator API, printed as text or JSON. */
export class OperateCommands {
  constructor(
    private readonly io: CliIo,
    private readonly connect: (options: EndpointOptions) => Promise<OperatorEndpoint> = resolveEndpoint,
  ) {}

  async start(file: string, options: OperateOptions & StartRequest): Promise<number> {
    const { plan, warnings } = await loadPlan(file);
    for (const w of warnings) this.io.err(`warning: ${w.path}: ${w.message}`);
    const api = await this.connect(options);
    const { environment, force } = options;
    const started = await api.client.post<Started>(
      '/executions',
      { plan, environment, force },
      options.signal,
    );
    const link = api.consoleLink(started.execution);
    print(
      this.io,
      options,
      { ...started, consoleUrl: link },
      [
        `${started.existing ? 'already started' : 'started'}: ${started.execution} (${started.status.toLowerCase()})`,
        `  arn: ${started.executionArn}`,
        ...(started.promotion ? [`  promotion: ${started.promotion}`] : []),
        `  console: ${link}`,
      ].join('\n'),
    );
    return ExitCode.ok;
  }

  async list(options: OperateOptions): Promise<number> {
    const api = await this.connect(options);
    const { executions } = await api.client.get<{ executions: ExecutionSummary[] }>(
      '/executions',
      options.signal,
    );
    print(this.io, options, executions, listText(executions));
    return ExitCode.ok;
  }

  async status(execution: string, options: OperateOptions): Promise<number> {
    const api = await this.connect(options);
    const status = await api.client.get<ExecutionStatus>(`/executions/${nameOf(execution)}`, options.signal);
    print(this.io, options, status, `${statusText(status)}\n  console: ${api.consoleLink(status.execution)}`);
    return ExitCode.ok;
  }

  async history(execution: string, options: OperateOptions): Promise<number> {
    const api = await this.connect(options);
    const history = await api.client.get<ExecutionHistory>(
      `/executions/${nameOf(execution)}/history`,
      options.signal,
    );
    print(this.io, options, history, historyText(history));
    return ExitCode.ok;
  }

  /** Follows the execution until it ends; exit 0 when it completed, 1 when it rolled back or failed. */
  async watch(execution: string, options: OperateOptions & { intervalSeconds: number }): Promise<number> {
    const api = await this.connect(options);
    let last = '';
    for (;;) {
      const status = await api.client.get<ExecutionStatus>(
        `/executions/${nameOf(execution)}`,
        options.signal,
      );
      const line = statusLine(status);
      if (line !== last) {
        this.io.out(
          options.output === 'json' ? JSON.stringify(status) : `${new Date().toISOString()}  ${line}`,
        );
        last = line;
      }
      if (status.outcome !== 'running') {
        if (options.output === 'text' && status.cause) this.io.out(`cause: ${status.cause}`);
        return status.outcome === 'completed' ? ExitCode.ok : ExitCode.failed;
      }
      await sleep(
        options.intervalSeconds * 1000,
        undefined,
        options.signal ? { signal: options.signal } : {},
      );
    }
  }

  async answer(
    answer: Answer,
    execution: string,
    options: OperateOptions & { reason: string },
  ): Promise<number> {
    const api = await this.connect(options);
    const { decision } = await api.client.post<{ decision: Decision }>(
      `/executions/${nameOf(execution)}/answers`,
      { answer, reason: options.reason },
      options.signal,
    );
    print(this.io, options, decision, `${decision.action}: ${decision.result} (by ${decision.principal})`);
    return ExitCode.ok;
  }

  /** A "lessons learned" note in the decision log of a finished execution. */
  async note(execution: string, text: string, options: OperateOptions): Promise<number> {
    const api = await this.connect(options);
    const { decision } = await api.client.post<{ decision: Decision }>(
      `/executions/${nameOf(execution)}/notes`,
      { text },
      options.signal,
    );
    print(this.io, options, decision, `note: ${decision.result} (by ${decision.principal})`);
    return ExitCode.ok;
  }

  async rollback(execution: string, options: OperateOptions & { reason: string }): Promise<number> {
    const api = await this.connect(options);
    const { decision } = await api.client.post<{ decision: Decision }>(
      `/executions/${nameOf(execution)}/rollback`,
      { reason: options.reason },
      options.signal,
    );
    print(this.io, options, decision, `rollback: ${decision.result} (by ${decision.principal})`);
    return ExitCode.ok;
  }
}
