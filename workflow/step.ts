import type { z } from 'zod';
import { CutoverError, ErrorNames } from '../domain/errors';
import { validatePlan } from '../domain/plan/validate';
import type { Plan } from '../domain/plan/schema';
import type { Ports } from './ports';

/** One workflow step: the input it accepts and what it does with the ports. Handlers wrap exactly one. */
export interface Step<S extends z.ZodType = z.ZodType, O = unknown> {
  readonly name: string;
  readonly input: S;
  run(ports: Ports, input: z.output<S>, signal?: AbortSignal): Promise<O>;
}

export function defineStep<S extends z.ZodType, O>(step: Step<S, O>): Step<S, O> {
  return step;
}

/** Steps trust nothing they are given: the plan is validated again (cheap, and catches tampering). */
export function planOf(input: { plan: unknown }): Plan {
  return validatePlan(input.plan).plan;
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

/** Runs `use` with the plan's database ports and always closes their connections. */
export async function withDatabase<T>(
  ports: Ports,
  plan: Plan,
  use: (db: Awaited<ReturnType<Ports['database']>>) => Promise<T>,
): Promise<T> {
  const db = await ports.database(plan);
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}
