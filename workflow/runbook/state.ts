import * as z from 'zod';

/** What started the run: the schedule (with its scheduled time) or an operator. */
export const requestSchema = z.object({
  startedBy: z.string().min(1).max(512).default('unknown'),
  trigger: z.enum(['schedule', 'manual']).default('manual'),
  scheduledTime: z.string().max(64).optional(),
  dryRun: z.boolean().optional(),
});

const resultSchema = z.object({
  target: z.string(),
  status: z.string(),
  outcome: z.string().optional(),
  summary: z.string().optional(),
});

/** The run as it moves through the workflow ($.run): small, bounded by maxTargets. */
export const runStateSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  dryRun: z.boolean(),
  targets: z.array(z.string()),
  pending: z.array(z.string()),
  canaryDone: z.boolean(),
  batch: z
    .object({
      commandId: z.string(),
      targets: z.array(z.string()),
      sentAt: z.string(),
      pollSeconds: z.number().int().positive(),
      canary: z.boolean(),
    })
    .nullable(),
  results: z.array(resultSchema),
  failedAfterCanary: z.number().int().min(0),
  verdict: z.enum([
    'polling',
    'continue',
    'completed',
    'canary-failed',
    'max-errors',
    'skipped-late',
    'duplicate',
  ]),
  reason: z.string().optional(),
});

export type RunRequest = z.output<typeof requestSchema>;
export type RunState = z.output<typeof runStateSchema>;
export type TargetOutcome = z.output<typeof resultSchema>;

/** The fields every runbook step gets from the state machine: the runbook itself and the execution. */
export const stepBase = {
  runbook: z.unknown(),
  execution: z.string().min(1),
};
