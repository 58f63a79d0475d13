import * as z from 'zod/mini';

/** What started the run: the schedule (with its scheduled time) or an operator. */
export const requestSchema = z.object({
  startedBy: z._default(z.string().check(z.minLength(1), z.maxLength(512)), 'unknown'),
  trigger: z._default(z.enum(['schedule', 'manual']), 'manual'),
  scheduledTime: z.optional(z.string().check(z.maxLength(64))),
  dryRun: z.optional(z.boolean()),
});

const resultSchema = z.object({
  target: z.string(),
  status: z.string(),
  outcome: z.optional(z.string()),
  summary: z.optional(z.string()),
});

/** The run as it moves through the workflow ($.run): small, bounded by maxTargets. */
export const runStateSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  dryRun: z.boolean(),
  targets: z.array(z.string()),
  pending: z.array(z.string()),
  canaryDone: z.boolean(),
  batch: z.nullable(
    z.object({
      commandId: z.string(),
      targets: z.array(z.string()),
      sentAt: z.string(),
      pollSeconds: z.number().check(z.int(), z.positive()),
      canary: z.boolean(),
    }),
  ),
  results: z.array(resultSchema),
  failedAfterCanary: z.number().check(z.int(), z.minimum(0)),
  verdict: z.enum([
    'polling',
    'continue',
    'completed',
    'canary-failed',
    'max-errors',
    'skipped-late',
    'duplicate',
  ]),
  reason: z.optional(z.string()),
});

export type RunRequest = z.output<typeof requestSchema>;
export type RunState = z.output<typeof runStateSchema>;
export type TargetOutcome = z.output<typeof resultSchema>;

/** The fields every runbook step gets from the state machine: the runbook itself and the execution. */
export const stepBase = {
  runbook: z.unknown(),
  execution: z.string().check(z.minLength(1)),
};
