import type { z } from 'zod';
import type { Access } from './access';
import type { ExecutionContext } from '../domain/context/execution-context';
import { CutoverError, ErrorNames } from '../domain/errors';
import type { DatabasePorts, Ports } from './ports';

/** One workflow step: the input it accepts and what it does with the ports. Handlers wrap exactly one. */
export interface Step<S extends z.ZodType = z.ZodType, O = unknown, P = Ports> {
  readonly name: string;
  /** The AWS access its ports need (the stack grants exactly this to the step's role). */
  readonly access: readonly Access[];
  readonly input: S;
  run(ports: P, input: z.output<S>, signal?: AbortSignal): Promise<O>;
}

export function defineStep<S extends z.ZodType, O, P = Ports>(step: Step<S, O, P>): Step<S, O, P> {
  return step;
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
