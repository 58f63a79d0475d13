/** Which cutover phase a state of the workflow belongs to, for the report and the progress line. */
const PHASE_BY_STATE: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(Start|ValidatePlan|AcquireLock|PlanRejected|LockRefused)$/, 'validate'],
  // A preflight or deploy failure takes the stop path (nothing to roll back): it stays in its phase.
  [/^(Preflight|NotePreflightFailure)$/, 'preflight'],
  [/^(StartDeploy|Deployed|CheckDeploy|DeployComplete.*|NoteDeployFailure)$/, 'deploy'],
  [
    /^(HasDatabase|ApprovalRequired|AwaitApproval|StartCatchUp|CheckLag|LagWithinLimit.*|FreezeNeeded|FreezeWrites|CheckCaughtUp|CaughtUp.*|SyncSequences|StartVerification|VerifyChunks|VerificationPassDone|RecheckData)$/,
    'database-prepare',
  ],
  [
    /^(SwitchDatabase|RollForward|CheckEndpointInSync|EndpointInSync.*|AwaitOperator|OperatorChoice|NoteSwitchFailure)$/,
    'database-switch',
  ],
  [/^(Note(?!Restore).*Failure|Rollback|CheckRollbackInSync|RollbackInSync.*)$/, 'rollback'],
  // A Restore that fails stays in its phase: it is not a traffic rollback.
  [/^(Restore|NoteRestoreFailure|RestoreFailed)$/, 'restore'],
  [/^(Record.*|ReleaseLock.*|Cutover.*|RollbackFailed|OperatorDidNotAnswer)$/, 'finalize'],
];

/** Before the first state; a shift step is `shift-<its number>`. */
const STARTING = 'starting';
export const SHIFT_PHASE = 'shift-N';

/** Every phase name the report and the progress line use (README, "Rehearsal", lists them). */
export const PHASE_NAMES: readonly string[] = [
  STARTING,
  ...new Set(PHASE_BY_STATE.map(([, name]) => name)),
  SHIFT_PHASE,
];

export interface PhaseSpan {
  readonly name: string;
  readonly startedAt: number;
  endedAt: number;
}

/** Follows the states entered and groups them into phases; shift steps are numbered. */
export class PhaseTracker {
  readonly spans: PhaseSpan[] = [];
  private step = 0;

  enter(state: string, at: number): void {
    if (state === 'SelectStep') this.step += 1;
    const name = this.phaseOf(state);
    if (!name) return;
    const current = this.spans.at(-1);
    if (current?.name === name) {
      current.endedAt = at;
      return;
    }
    if (current) current.endedAt = at;
    this.spans.push({ name, startedAt: at, endedAt: at });
  }

  finish(at: number): void {
    const current = this.spans.at(-1);
    if (current) current.endedAt = at;
  }

  get current(): string {
    return this.spans.at(-1)?.name ?? STARTING;
  }

  private phaseOf(state: string): string | undefined {
    if (
      /^(FirstStep|SelectStep|SetWeights|Bake|AwaitHealthDecision|PauseOn.*|NextStep|MoreSteps)$/.test(state)
    ) {
      return `shift-${Math.max(1, this.step)}`;
    }
    return PHASE_BY_STATE.find(([pattern]) => pattern.test(state))?.[1];
  }
}
