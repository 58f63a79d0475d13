import type { ExecutionContext } from '../domain/context/execution-context';
import { freezeTimeLeftMs } from '../domain/database/write-freeze';
import { CutoverError, ErrorNames } from '../domain/errors';
import type { Access } from './access';
import type { Reader } from './input';
import type { DatabasePorts, Ports } from './ports';

/** One workflow step: the input it accepts and what it does with the ports. Handlers wrap exactly one. */
/**
 * What a step reads its input with: a reader from ./input (the cutover steps, whose bundles carry no
 * schema library), or a schema with `parse` (the runbook steps, validated with zod).
 */
export type StepInput<I> = Reader<I> | { parse(value: unknown): I };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds steps of every input type
export interface Step<I = any, O = unknown, P = Ports> {
  readonly name: string;
  /**
   * Safe to run again with the same input. The state machine then retries an unexpected error (a
   * crash, a timeout) a few times with backoff before taking the failure path; a step that is not
   * (the point of no return, one that hands out a task token) fails at once.
   */
  readonly idempotent: boolean;
  /** The AWS access its ports need (the stack grants exactly this to the step's role). */
  readonly access: readonly Access[];
  /** Reads (and checks) the input the state machine sends. */
  readonly input: StepInput<I>;
  run(ports: P, input: NoInfer<I>, signal?: AbortSignal, invocation?: Invocation): Promise<O>;
}

/** What a step may know of the invocation running it (on AWS, from the Lambda context). */
export interface Invocation {
  /** Milliseconds left before the function's timeout. */
  remainingMs(): number;
}

export function defineStep<I, O, P = Ports>(step: Step<I, O, P>): Step<I, O, P> {
  return step;
}

/** Reads a step's input, whichever way the step checks it. */
export function readInput<I>(input: StepInput<I>, event: unknown): I {
  return typeof input === 'function' ? input(event, '') : input.parse(event);
}

/** Every step before the point of no return checks for an operator's rollback: the signal's "next check". */
export async function ensureNoRollback(ports: Ports, execution: string, signal?: AbortSignal): Promise<void> {
  const { rollback } = await ports.control.get(execution, signal);
  if (rollback) {
    throw new CutoverError(
      ErrorNames.OperatorRollback,
      `rollback requested by ${rollback.actor}: ${rollback.reason}`,
    );
  }
}

/**
 * The lease is renewed as the execution goes (each shift step, deploy and lag poll, the freeze) to cover
 * the rest of its worst case; an execution that lost its lock fails with LockLost instead of carrying on.
 */
export async function renewLease(
  ports: Ports,
  context: ExecutionContext,
  signal?: AbortSignal,
): Promise<void> {
  const { execution, lockKeys, timeouts } = context;
  await Promise.all(lockKeys.map((key) => ports.lock.renew(key, execution, timeouts.lockSeconds, signal)));
}

/** Runs `use` with the context's database ports and always closes their connections. */
export async function withDatabase<T>(
  ports: Ports,
  context: ExecutionContext,
  use: (db: DatabasePorts) => Promise<T>,
): Promise<T> {
  if (context.database.kind === 'none') throw new Error('the plan has no database');
  const db = await ports.database(context.database);
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/**
 * Runs `work` inside the write freeze: refused once `unfreezeBy` has passed, and cut off (its signal
 * aborted) when it would outlast it, with WriteFreezeExceeded, which the state machine routes to the
 * rollback path (blue unfrozen). Without a deadline (no freeze) it simply runs.
 */
export async function withinWriteFreeze<T>(
  ports: Ports,
  unfreezeBy: string | null | undefined,
  signal: AbortSignal | undefined,
  work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (!unfreezeBy) return work(signal);
  const remainingMs = ensureWithinWriteFreeze(ports, unfreezeBy);
  const deadline = AbortSignal.timeout(remainingMs);
  const bounded = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const running = work(bounded);
  running.catch(() => undefined);
  const timer = new Promise<never>((_, reject) =>
    deadline.addEventListener('abort', () => reject(writeFreezeExceeded(unfreezeBy)), { once: true }),
  );
  return Promise.race([running, timer]);
}

/** Refuses, with WriteFreezeExceeded, once the write freeze's `unfreezeBy` has passed; else the ms left. */
export function ensureWithinWriteFreeze(ports: Ports, unfreezeBy: string): number {
  const remainingMs = freezeTimeLeftMs(unfreezeBy, ports.now());
  if (remainingMs <= 0) throw writeFreezeExceeded(unfreezeBy);
  return remainingMs;
}

function writeFreezeExceeded(unfreezeBy: string): CutoverError {
  return new CutoverError(
    ErrorNames.WriteFreezeExceeded,
    `the write freeze reached its limit (unfreeze by ${unfreezeBy})`,
  );
}
