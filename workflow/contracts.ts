import * as z from 'zod';
import type { Plan } from '../domain/plan/schema';
import type { ShiftStep } from '../domain/schedule/schedule';

/**
 * The state every step receives: the validated plan (defaults applied), the execution it belongs to,
 * and the numbers the state machine itself needs (timeouts, flags) so it never parses durations.
 */
export interface CutoverContext {
  readonly plan: Plan;
  readonly execution: string;
  readonly steps: readonly ShiftStep[];
  readonly stepCount: number;
  readonly timeouts: {
    readonly bakeSeconds: number;
    readonly decisionSeconds: number;
    readonly approvalSeconds: number;
    readonly operatorSeconds: number;
    readonly lockSeconds: number;
  };
  readonly flags: {
    readonly deploy: Plan['deploy']['kind'];
    readonly database: Plan['database']['kind'];
    readonly approval: boolean;
    readonly pauseOnHealthFailure: boolean;
    readonly pauseOnInconclusive: boolean;
  };
}

/** Every step input carries the plan (re-validated by the step) and the execution id. */
export const stepBase = z.object({ plan: z.unknown(), execution: z.string().min(1) });

export const shiftStepSchema = z.object({
  index: z.number().int().min(0),
  greenPercent: z.number().int().min(0).max(100),
  weights: z.object({ blue: z.number().int(), green: z.number().int() }),
  bakeSeconds: z.number().min(0),
  ttlSeconds: z.number().min(0),
});

export const ticketsSchema = z.array(z.object({ id: z.string(), hostedZoneId: z.string() }));

/** What a Catch clause records: the error name and cause, plus the phase it happened in. */
export const failureSchema = z.object({
  phase: z.string(),
  Error: z.string().default('States.Unknown'),
  Cause: z.string().default(''),
});
export type Failure = z.infer<typeof failureSchema>;
