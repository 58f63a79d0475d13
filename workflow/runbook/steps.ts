import * as z from 'zod/mini';
import { durationSeconds } from '../../domain/duration';
import { CutoverError, ErrorNames, type ErrorName } from '../../domain/errors';
import { lateness } from '../../domain/runbook/late';
import {
  DELIVERY_TIMEOUT_SECONDS,
  nextBatchSize,
  nextPollSeconds,
  verdictAfterBatch,
} from '../../domain/runbook/rate-control';
import type { Runbook } from '../../domain/runbook/schema';
import { summarizeResult } from '../../domain/runbook/summary';
import { validateRunbook } from '../../domain/runbook/validate';
import { FINAL_STATUSES, type Invocation } from '../../ports/command-runner';
import type { RunOutcome, TargetResult } from '../../ports/runbook-audit';
import { Needs } from '../access';
import { defineStep } from '../step';
import type { RunbookPorts } from './ports';
import { requestSchema, runStateSchema, stepBase, type RunState, type TargetOutcome } from './state';

const nothing = z.pipe(
  z.strictObject({}),
  z.transform(() => null),
);

/** Steps trust nothing they are given: the runbook in the definition is validated again. */
const runbookOf = (input: { runbook: unknown }): Runbook => validateRunbook(input.runbook);

/**
 * Starts a run: a scheduled run later than notAfter, or one whose scheduled time already ran, is
 * skipped (and reported by finish); otherwise the targets are resolved — none, or more than
 * maxTargets, fails the run.
 */
export const prepareStep = defineStep({
  name: 'runbook-prepare',
  idempotent: false,
  access: [...Needs.resolveRunbookTargets, ...Needs.writeRunbookAudit],
  input: z.object({ ...stepBase, request: requestSchema }),
  async run(ports: RunbookPorts, input, signal): Promise<RunState> {
    const runbook = runbookOf(input);
    const now = ports.now();
    const base: RunState = {
      runId: input.execution,
      startedAt: now.toISOString(),
      dryRun: input.request.dryRun ?? runbook.dryRun,
      targets: [],
      pending: [],
      canaryDone: false,
      batch: null,
      results: [],
      failedAfterCanary: 0,
      verdict: 'continue',
    };
    const late = lateness(runbook, input.request.scheduledTime, now);
    if (late) return { ...base, verdict: 'skipped-late', reason: late };
    const scheduled = input.request.trigger === 'schedule' ? input.request.scheduledTime : undefined;
    if (
      scheduled &&
      !(await ports.audit.claimScheduledTime(runbook.name, scheduled, input.execution, signal))
    ) {
      return { ...base, verdict: 'duplicate', reason: `a run for ${scheduled} already started` };
    }
    const targets = await ports.targets.resolve(runbook.targets, signal);
    if (targets.length === 0) {
      throw new CutoverError(
        ErrorNames.NoTargets,
        `no online managed instance matches the targets of ${runbook.name}`,
      );
    }
    if (targets.length > runbook.rateControl.maxTargets) {
      throw new CutoverError(
        ErrorNames.TooManyTargets,
        `${targets.length} targets match ${runbook.name}, more than maxTargets ${runbook.rateControl.maxTargets}`,
      );
    }
    return { ...base, targets, pending: targets };
  },
});

/** Sends the document to the next batch: the canary alone first, then up to maxConcurrency targets. */
export const sendBatchStep = defineStep({
  name: 'runbook-send-batch',
  idempotent: false,
  access: Needs.sendRunbookCommands,
  input: z.object({ ...stepBase, documentName: z.string().check(z.minLength(3)), run: runStateSchema }),
  async run(ports: RunbookPorts, input, signal): Promise<RunState> {
    const runbook = runbookOf(input);
    const { run } = input;
    const size = nextBatchSize(run.canaryDone, runbook);
    const targets = run.pending.slice(0, size);
    const commandId = await ports.commands.send(
      {
        documentName: input.documentName,
        targets,
        dryRun: run.dryRun,
        deliveryTimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
        comment: `${runbook.name} ${run.canaryDone ? 'batch' : 'canary'} of run ${run.runId}`,
      },
      signal,
    );
    return {
      ...run,
      pending: run.pending.slice(size),
      batch: {
        commandId,
        targets,
        sentAt: ports.now().toISOString(),
        pollSeconds: nextPollSeconds(undefined),
        canary: !run.canaryDone,
      },
      verdict: 'polling',
    };
  },
});

/**
 * Polls the batch's invocations; once every target is done (or the batch is past its deadline, when
 * the rest count as timed out) it judges the batch: a failed canary or too many errors stop the run.
 */
export const pollBatchStep = defineStep({
  name: 'runbook-poll-batch',
  idempotent: true,
  access: Needs.readRunbookCommands,
  input: z.object({ ...stepBase, run: runStateSchema }),
  async run(ports: RunbookPorts, input, signal): Promise<RunState> {
    const runbook = runbookOf(input);
    const { run } = input;
    const batch = run.batch;
    if (!batch) throw new Error('poll-batch: no batch in flight');
    const invocations = new Map(
      (await ports.commands.invocations(batch.commandId, signal)).map((i) => [i.target, i]),
    );
    const finished = batch.targets.every((target) =>
      FINAL_STATUSES.has(invocations.get(target)?.status ?? ''),
    );
    const deadline =
      Date.parse(batch.sentAt) +
      (DELIVERY_TIMEOUT_SECONDS + durationSeconds(runbook.timeout) * runbook.steps.length + 60) * 1000;
    if (!finished && ports.now().getTime() < deadline) {
      return {
        ...run,
        batch: { ...batch, pollSeconds: nextPollSeconds(batch.pollSeconds) },
        verdict: 'polling',
      };
    }
    const outcomes = batch.targets.map((target) => targetOutcome(target, invocations.get(target)));
    const batchFailed = outcomes.filter((o) => o.status !== 'Success').length;
    const failedAfterCanary = run.failedAfterCanary + (batch.canary ? 0 : batchFailed);
    return {
      ...run,
      batch: null,
      canaryDone: true,
      results: [...run.results, ...outcomes],
      failedAfterCanary,
      verdict: verdictAfterBatch({
        canary: batch.canary,
        batchFailed,
        failedAfterCanary,
        pending: run.pending.length,
        maxErrors: runbook.rateControl.maxErrors,
      }),
    };
  },
});

function targetOutcome(target: string, invocation: Invocation | undefined): TargetOutcome {
  if (!invocation || !FINAL_STATUSES.has(invocation.status)) {
    return { target, status: 'TimedOut', summary: 'no answer before the batch deadline' };
  }
  // Each document step prints its JSON result as its last line; the last step's says how the run ended.
  const result = invocation.outputs
    .map(lastJsonLine)
    .filter((r) => r !== undefined)
    .pop() as Record<string, unknown> | undefined;
  const summary = summarizeResult(result);
  return {
    target,
    status: invocation.status,
    ...(typeof result?.['status'] === 'string' ? { outcome: result['status'] } : {}),
    ...(summary ? { summary: summary.slice(0, 200) } : {}),
  };
}

function lastJsonLine(output: string): unknown {
  const line = output.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

const OUTCOME_OF_VERDICT: Record<RunState['verdict'], RunOutcome> = {
  polling: 'failed',
  continue: 'failed',
  completed: 'completed',
  'canary-failed': 'canary-failed',
  'max-errors': 'max-errors',
  'skipped-late': 'skipped-late',
  duplicate: 'duplicate',
};
const ERROR_OF_OUTCOME: Partial<Record<RunOutcome, ErrorName>> = {
  'canary-failed': ErrorNames.CanaryFailed,
  'max-errors': ErrorNames.MaxErrorsExceeded,
};

/**
 * Ends every run, whatever happened: writes the audit record (who started it, targets, results, what
 * changed), notifies unless nothing happened, and fails the execution when the run failed — with the
 * error that stopped it (CanaryFailed, MaxErrorsExceeded, NoTargets, …).
 */
export const finishStep = defineStep({
  name: 'runbook-finish',
  idempotent: false,
  access: [...Needs.writeRunbookAudit, ...Needs.notify],
  input: z.object({
    ...stepBase,
    request: requestSchema,
    // Both start as {} (see the workflow's Start state): no run yet, or no error.
    run: z.union([runStateSchema, nothing]),
    error: z.union([z.object({ Error: z.string(), Cause: z.optional(z.string()) }), nothing]),
  }),
  async run(ports: RunbookPorts, input, signal) {
    const runbook = runbookOf(input);
    const { run, error, request } = input;
    const outcome: RunOutcome = error
      ? error.Error === ErrorNames.NoTargets
        ? 'no-targets'
        : 'failed'
      : OUTCOME_OF_VERDICT[run?.verdict ?? 'continue'];
    const reason = error ? causeOf(error) : run?.reason;
    // zod's optional fields are `T | undefined`; JSON never carries undefined, so these are TargetResults.
    const results = (run?.results ?? []) as TargetResult[];
    const changed = results.filter((r) => r.outcome === 'changed').map((r) => r.target);
    await ports.audit.record(
      {
        runbook: runbook.name,
        runId: input.execution,
        startedBy: request.startedBy,
        trigger: request.trigger,
        where: 'aws',
        dryRun: run?.dryRun ?? request.dryRun ?? runbook.dryRun,
        ...(request.scheduledTime ? { scheduledTime: request.scheduledTime } : {}),
        startedAt: run?.startedAt ?? ports.now().toISOString(),
        finishedAt: ports.now().toISOString(),
        outcome,
        ...(reason ? { reason } : {}),
        targets: run?.targets ?? [],
        results,
        changed,
      },
      signal,
    );
    const failed = results.filter((r) => r.status !== 'Success').length;
    const message = `${runbook.name}: ${outcome}${reason ? ` (${reason})` : ''}; ${results.length} of ${run?.targets.length ?? 0} targets ran, ${failed} failed, ${changed.length} changed`;
    if (outcome !== 'duplicate' && (outcome !== 'completed' || failed > 0 || changed.length > 0)) {
      await ports.notifier.notify(
        {
          plan: `runbook:${runbook.name}`,
          execution: input.execution,
          phase: 'runbook',
          outcome: outcome === 'completed' ? 'completed' : 'failed',
          message,
        },
        signal,
      );
    }
    const errorName = error ? error.Error : ERROR_OF_OUTCOME[outcome];
    if (errorName) throw Object.assign(new Error(reason ?? message), { name: errorName });
    return { outcome, message };
  },
});

function causeOf(error: { Error: string; Cause?: string | undefined }): string {
  // A Lambda error's Cause is the JSON of the error (errorType, errorMessage, trace).
  try {
    const parsed = JSON.parse(error.Cause ?? '') as { errorMessage?: string };
    if (parsed.errorMessage) return parsed.errorMessage;
  } catch {
    // not JSON: the cause as given
  }
  return error.Cause ?? error.Error;
}

export const RUNBOOK_STEPS = {
  'runbook-prepare': prepareStep,
  'runbook-send-batch': sendBatchStep,
  'runbook-poll-batch': pollBatchStep,
  'runbook-finish': finishStep,
} as const;
export type RunbookStepName = keyof typeof RUNBOOK_STEPS;
export const RUNBOOK_STEP_NAMES = Object.keys(RUNBOOK_STEPS) as RunbookStepName[];
