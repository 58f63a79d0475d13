import type { ExecutionContext } from '../domain/context/execution-context';
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
  /** The AWS access its ports need (the stack grants exactly this to the step's role). */
  readonly access: readonly Access[];
  /** Reads (and checks) the input the state machine sends. */
  readonly input: StepInput<I>;
  run(ports: P, input: NoInfer<I>, signal?: AbortSignal): Promise<O>;
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
