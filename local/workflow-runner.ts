import { StateMachine } from 'aws-local-stepfunctions';
import { AwsErrorNames, AwsReportedError, InputError } from '../domain/errors';
import type { Context } from 'aws-lambda';
import type { LocalTaskCallbacks } from '../adapters/local/local-task-callbacks';
import { stepHandler } from '../lambdas/step-handler';
import { watchBakesOnce } from '../workflow/steps/bake';
import type { Ports } from '../workflow/ports';
import { STEP_NAMES, STEPS } from '../workflow/registry';
import { LOCAL_FUNCTION_PREFIX, type WorkflowDefinition } from './workflow-definition';

/** One event of the local engine's log (the package does not export the type). */
export interface EventLog {
  readonly type: string;
  readonly output?: unknown;
  readonly timestamp: number;
  readonly state?: { readonly name: string; readonly type: string };
  readonly Error?: string;
  readonly Cause?: unknown;
}

/** Ports of a local run: task tokens are answered in this process. */
export interface LocalPorts extends Ports {
  readonly callbacks: LocalTaskCallbacks;
}

/** How a local run reaches the Lambda functions of its Task states, by step name (the function's CUTOVER_STEP). */
export type LocalLambdas = Readonly<Record<string, (payload: unknown, context: Context) => Promise<unknown>>>;

/** A local run of any synthesized state machine, its Tasks routed to `lambdas`. */
export interface LocalStateMachineOptions extends Omit<
  LocalExecutionOptions,
  'ports' | 'plan' | 'watchEveryMs'
> {
  readonly lambdas: LocalLambdas;
  /** The execution input, as StartExecution would get it. */
  readonly input: unknown;
  /** Answers task-token waits. @default - the definition has none */
  readonly callbacks?: LocalTaskCallbacks;
  /** Work that runs beside the execution until it ends, as a schedule would run it on AWS. @default none */
  readonly alongside?: { readonly everyMs: number; run(): Promise<unknown> };
  /** The state machine's name in execution ARNs. @default CutoverWorkflow */
  readonly stateMachineName?: string;
}

export interface LocalExecutionOptions {
  /** The synthesized definition and function timeouts (see synthesizeWorkflowDefinition). */
  readonly workflow: WorkflowDefinition;
  readonly ports: LocalPorts;
  /** The plan, as the CLI sends it to StartExecution. */
  readonly plan: unknown;
  readonly executionName: string;
  /**
   * Milliseconds a Wait state lasts, given its fixed `Seconds` (undefined for `SecondsPath`); return
   * undefined to wait as the definition says.
   * @default - every Wait lasts 0 ms
   */
  readonly waitMs?: (state: string, seconds: number | undefined) => number | undefined;
  /** @default 0 */
  readonly retryIntervalMs?: number;
  /** How often the health watcher passes over pending bakes. @default 20 */
  readonly watchEveryMs?: number;
  readonly onEvent?: (event: EventLog) => void;
  /** Fault injection: states whose step throws once, before running (e.g. `step-crash:SetWeights`). */
  readonly crashOnce?: readonly string[];
  /**
   * Multiplies the limits the template sets (each function's Timeout, each Task's TimeoutSeconds and
   * HeartbeatSeconds), so a test can reach them quickly; the step's real work is not scaled. Timeouts
   * read from the input (TimeoutSecondsPath) come from the plan and are not scaled here.
   * @default 1
   */
  readonly timeoutScale?: number;
}

export interface LocalExecutionResult {
  readonly executionArn: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error?: string;
  readonly cause?: string;
  readonly output?: unknown;
  /** Billed state transitions: every state entered, and every retry. */
  readonly transitions: number;
  /** History events AWS would record for the same run (its event model applied to the local events). */
  readonly historyEvents: number;
  /** Names of the states entered, in order. */
  readonly states: readonly string[];
}

interface StateJson {
  readonly Type: string;
  readonly Resource?: string;
  readonly Seconds?: number;
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
  readonly HeartbeatSeconds?: number;
  readonly Parameters?: { readonly FunctionName?: string };
  readonly ItemProcessor?: { readonly States: Record<string, StateJson> };
  readonly Iterator?: { readonly States: Record<string, StateJson> };
}

const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** Step Functions' limit on a state's input or output, and a Task's payload (UTF-8 bytes). */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;
/** The longest a Standard execution runs (stands in for "no TimeoutSeconds": the engine would use 60 s). */
const EXECUTION_LIMIT_SECONDS = 14 * 24 * 3600;

/** The Task states of a definition (Map and nested states included), e.g. to check a step-crash fault. */
export function taskStateNames(definition: Record<string, unknown>): string[] {
  return [...allStates(definition)].filter(([, state]) => state.Type === 'Task').map(([name]) => name);
}

/** The execution ARN a local run reports (and locks records with). */
export function localExecutionArn(executionName: string, stateMachineName = 'CutoverWorkflow'): string {
  return `arn:aws:states:us-east-1:123456789012:execution:${stateMachineName}:${executionName}`;
}

/**
 * Runs the synthesized cutover state machine in this process with aws-local-stepfunctions: every Task
 * goes to the real step handler (middy, Powertools, zod) with local ports, task-token waits are
 * answered by LocalTaskCallbacks, and the health watcher runs as the scheduler would run it on AWS.
 */
export function startLocalExecution(options: LocalExecutionOptions): LocalExecution {
  const { ports, plan, watchEveryMs, ...rest } = options;
  const lambdas = Object.fromEntries(
    STEP_NAMES.map((step) => [step, stepHandler(STEPS[step], async () => ports)]),
  ) as LocalLambdas;
  return startLocalStateMachine({
    ...rest,
    lambdas,
    input: { plan },
    callbacks: ports.callbacks,
    alongside: { everyMs: watchEveryMs ?? 20, run: () => watchBakesOnce(ports) },
  });
}

export interface LocalExecution {
  readonly executionArn: string;
  readonly result: Promise<LocalExecutionResult>;
  abort(): void;
}

/**
 * Runs a synthesized state machine in this process with aws-local-stepfunctions, as strict as AWS:
 * each Task goes to its Lambda handler within the function's Timeout, the Task's TimeoutSeconds and
 * HeartbeatSeconds, and the 256 KiB payload limit.
 */
export function startLocalStateMachine(options: LocalStateMachineOptions): LocalExecution {
  const executionArn = localExecutionArn(options.executionName, options.stateMachineName);
  const scale = options.timeoutScale ?? 1;
  const definition = forLocalEngine(options.workflow.definition);
  const states = allStates(definition);
  const callbacks = options.callbacks;
  const invoke = async (step: string, payload: unknown): Promise<unknown> => {
    const handler = options.lambdas[step];
    if (!handler) throw new Error(`no local Lambda function for step ${step}`);
    const timeoutSeconds = options.workflow.functionTimeouts[step];
    if (timeoutSeconds === undefined) throw new Error(`the template has no function for step ${step}`);
    const result = await withinFunctionTimeout(
      (context) => handler(withinPayloadLimit(payload, `the input of ${step}`), context),
      step,
      timeoutSeconds,
      scale,
    );
    return withinPayloadLimit(result, `the result of ${step}`);
  };

  const taskHandlers: Record<string, (input: unknown) => Promise<never>> = {};
  const waits: Record<string, number> = {};
  const crashes = new Set(options.crashOnce ?? []);
  for (const name of crashes) {
    if (states.get(name)?.Type !== 'Task') throw new InputError(`step-crash: no Task state named ${name}`);
  }
  for (const [name, state] of states) {
    if (state.Type !== 'Task') continue;
    const handler = taskHandler(state, invoke, callbacks, scale);
    taskHandlers[name] = (async (input: never) => {
      if (crashes.delete(name)) throw new Error(`injected crash in ${name}`);
      return handler(input);
    }) as never;
  }
  for (const [name, state] of states) {
    if (state.Type === 'Wait') {
      const ms = (options.waitMs ?? (() => 0))(name, state.Seconds);
      if (ms !== undefined) waits[name] = ms;
    }
  }
  const retries = Object.fromEntries(
    [...states].filter(([, s]) => s.Type === 'Task').map(([name]) => [name, options.retryIntervalMs ?? 0]),
  );

  const machine = new StateMachine(definition as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const input = withinPayloadLimit(options.input, 'the execution input');
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: taskHandlers,
      waitTimeOverrides: waits,
      retryIntervalOverrides: retries,
    },
    context: {
      Execution: { Id: executionArn, Name: options.executionName },
      Task: { Token: 'replaced-per-task' },
    } as never,
  });

  let running = true;
  const alongside = options.alongside;
  const watcher = (async () => {
    while (running && alongside) {
      await alongside.run().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, alongside.everyMs));
    }
  })();
  // A state's output over the limit fails the execution on AWS; the engine does not check it.
  let oversized: AwsReportedError | undefined;
  const events = collectEvents(execution.eventLogs as AsyncGenerator<EventLog>, (event) => {
    if (event.type === 'StateExited' && !oversized && event.state) {
      const bytes = payloadBytes(event.output);
      if (bytes > PAYLOAD_LIMIT_BYTES) {
        oversized = dataLimitExceeded(`the output of state ${event.state.name}`, bytes);
        execution.abort();
      }
    }
    options.onEvent?.(event);
  });

  const result = (async (): Promise<LocalExecutionResult> => {
    let outcome: Pick<LocalExecutionResult, 'status' | 'error' | 'cause' | 'output'>;
    try {
      outcome = { status: 'SUCCEEDED', output: await execution.result };
    } catch (error) {
      const failure =
        oversized ?? (error as { cause?: { name?: string; message?: string } }).cause ?? (error as Error);
      outcome = { status: 'FAILED', error: failure.name ?? 'Error', cause: failure.message ?? '' };
    } finally {
      running = false;
      callbacks?.abandonAll();
    }
    await watcher;
    const log = await events;
    return { executionArn, ...outcome, ...countHistory(log, states) };
  })();
  return { executionArn, result, abort: () => execution.abort() };
}

function taskHandler(
  state: StateJson,
  invoke: (step: string, payload: unknown) => Promise<unknown>,
  callbacks: LocalTaskCallbacks | undefined,
  scale: number,
) {
  const heartbeatMs =
    state.HeartbeatSeconds === undefined ? undefined : state.HeartbeatSeconds * 1000 * scale;
  if (state.Resource === WAIT_FOR_TOKEN) {
    const step = stepOf(state.Parameters?.FunctionName);
    if (!callbacks) throw new Error(`${step} waits for a task token, and this run answers none`);
    return async (input: { Payload: Record<string, unknown> }) => {
      const { token, answer } = callbacks.issue(heartbeatMs);
      await invoke(step, { ...input.Payload, taskToken: token });
      return answer;
    };
  }
  const step = stepOf(state.Resource);
  const timeoutMs = (state.TimeoutSeconds ?? EXECUTION_LIMIT_SECONDS) * 1000 * scale;
  // A Lambda function never sends heartbeats: a Task with HeartbeatSeconds fails once that passes.
  const limits = [
    {
      ms: timeoutMs,
      error: () => new AwsReportedError(AwsErrorNames.TaskTimedOut, `${step}: Task timed out`),
    },
    ...(heartbeatMs === undefined
      ? []
      : [
          {
            ms: heartbeatMs,
            error: () => new AwsReportedError(AwsErrorNames.HeartbeatTimedOut, `${step}: no heartbeat`),
          },
        ]),
  ];
  return (input: unknown) =>
    limits.reduce((work, limit) => withDeadline(work, limit.ms, limit.error), invoke(step, input));
}

/**
 * Runs one invocation as Lambda does: the context reports the time left, and the invocation is cut off
 * at the function's Timeout, failing as Lambda reports it (`Sandbox.Timedout`). The handler's own work
 * cannot be frozen locally: a result that comes later is discarded.
 */
function withinFunctionTimeout<T>(
  run: (context: Context) => Promise<T>,
  step: string,
  timeoutSeconds: number,
  scale: number,
): Promise<T> {
  const timeoutMs = timeoutSeconds * 1000 * scale;
  const deadline = Date.now() + timeoutMs;
  const requestId = crypto.randomUUID();
  const context = lambdaContext(step, requestId, () => Math.max(0, deadline - Date.now()));
  const timedOut = () =>
    new AwsReportedError(
      AwsErrorNames.LambdaTimedOut,
      JSON.stringify({
        errorType: AwsErrorNames.LambdaTimedOut,
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
      }),
    );
  return withDeadline(run(context), timeoutMs, timedOut);
}

/**
 * `work`, or `timedOut()` once `ms` pass. An outcome that arrives late (e.g. after CPU-bound work kept
 * the timer from firing) counts as timed out too: AWS would have cut it off.
 */
async function withDeadline<T>(work: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  const deadline = Date.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  work.catch(() => undefined); // a failure after the cut-off has no reader
  try {
    const result = await Promise.race([work, expiry]);
    if (Date.now() > deadline) throw timedOut();
    return result;
  } catch (error) {
    throw Date.now() > deadline && !(error instanceof AwsReportedError) ? timedOut() : error;
  } finally {
    clearTimeout(timer);
  }
}

/** A JSON copy of `value` (as Lambda and Step Functions pass it), refused when over the payload limit. */
function withinPayloadLimit<T>(value: T, what: string): T {
  const copy = roundTrip(value);
  const bytes = payloadBytes(copy);
  if (bytes > PAYLOAD_LIMIT_BYTES) throw dataLimitExceeded(what, bytes);
  return copy;
}

function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

function dataLimitExceeded(what: string, bytes: number): AwsReportedError {
  return new AwsReportedError(
    AwsErrorNames.DataLimitExceeded,
    `${what} is ${bytes} bytes, over the ${PAYLOAD_LIMIT_BYTES}-byte limit of Step Functions`,
  );
}

function stepOf(arn: string | undefined): string {
  const step = arn?.startsWith(LOCAL_FUNCTION_PREFIX) ? arn.slice(LOCAL_FUNCTION_PREFIX.length) : undefined;
  if (!step) throw new Error(`no local step for Task resource ${arn ?? '(none)'}`);
  return step;
}

/**
 * What the local engine needs to behave as AWS: it reads a Task's TimeoutSecondsPath from the Lambda
 * parameters instead of the state input, so the path is pointed into the payload (which carries
 * the execution context, see waitForCallback); it gives a Task without TimeoutSeconds 60 s where AWS
 * sets no limit but the execution's. The runner enforces static TimeoutSeconds and HeartbeatSeconds itself.
 */
function forLocalEngine(definition: Record<string, unknown>): Record<string, unknown> {
  // A JSON copy, not structuredClone: the engine only expands templates in plain objects of its own realm.
  const copy = JSON.parse(JSON.stringify(definition)) as Record<string, unknown>;
  for (const state of allStates(copy).values()) {
    if (state.Type !== 'Task') continue;
    const mutable = state as { TimeoutSecondsPath?: string; TimeoutSeconds?: number };
    if (state.Resource === WAIT_FOR_TOKEN && mutable.TimeoutSecondsPath?.startsWith('$.')) {
      mutable.TimeoutSecondsPath = `$.Payload.${mutable.TimeoutSecondsPath.slice(2)}`;
    }
    // A static TimeoutSeconds is enforced by the runner, scaled (see taskHandler).
    if (mutable.TimeoutSecondsPath === undefined) mutable.TimeoutSeconds = EXECUTION_LIMIT_SECONDS;
  }
  return copy;
}

function allStates(definition: Record<string, unknown>): Map<string, StateJson> {
  const found = new Map<string, StateJson>();
  const visit = (states: Record<string, StateJson>) => {
    for (const [name, state] of Object.entries(states)) {
      found.set(name, state);
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) visit(nested.States);
    }
  };
  visit(definition['States'] as Record<string, StateJson>);
  return found;
}

async function collectEvents(
  source: AsyncGenerator<EventLog>,
  onEvent?: (event: EventLog) => void,
): Promise<EventLog[]> {
  const log: EventLog[] = [];
  for await (const event of source) {
    log.push(event);
    onEvent?.(event);
  }
  return log;
}

/** AWS's history event model (per state type) applied to the local run's events. */
function countHistory(log: readonly EventLog[], states: Map<string, StateJson>) {
  let history = 2; // ExecutionStarted, ExecutionSucceeded/Failed
  let transitions = 0;
  const entered: string[] = [];
  for (const event of log) {
    if (event.type === 'StateEntered' && event.state) {
      transitions += 1;
      entered.push(event.state.name);
      const state = states.get(event.state.name);
      if (state?.Type === 'Task') history += state.Resource === WAIT_FOR_TOKEN ? 6 : 5;
      else if (state?.Type === 'Map') history += 4;
      else if (state?.Type === 'Fail') history += 1;
      else history += 2;
    } else if (event.type === 'StateRetried') {
      transitions += 1;
      history += 3; // another Scheduled, Started, Failed
    } else if (event.type === 'MapIterationStarted') {
      history += 2;
    }
  }
  return { transitions, historyEvents: history, states: entered };
}

function roundTrip<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

function lambdaContext(step: string, requestId: string, remainingMs: () => number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `cutover-${step}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `${LOCAL_FUNCTION_PREFIX}${step}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/local/cutover-${step}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
