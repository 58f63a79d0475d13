import { InputError } from '../errors';

/** A finished cutover, as the history of an environment records it. */
export interface FinishedCutover {
  readonly environment: string;
  readonly planDigest: string;
  readonly execution: string;
  readonly outcome: 'completed' | 'rolled_back' | 'failed';
}

export interface PromotionRequest {
  /** The environments, lowest first (as configured: dev, staging, prod). */
  readonly environments: readonly string[];
  /** Where the cutover is to start. */
  readonly environment: string;
  readonly planDigest: string;
  /** Finished cutovers of the environment below (others are ignored). */
  readonly history: readonly FinishedCutover[];
  /** `--force <reason>`: start even though the plan has not completed below. */
  readonly forceReason?: string;
}

export type PromotionDecision =
  | { readonly allowed: true; readonly basis: 'lowest-environment' }
  | {
      readonly allowed: true;
      readonly basis: 'completed-below';
      readonly environmentBelow: string;
      readonly execution: string;
    }
  | {
      readonly allowed: true;
      readonly basis: 'forced';
      readonly environmentBelow: string;
      /** Recorded with the execution, next to who forced it. */
      readonly reason: string;
    }
  | { readonly allowed: false; readonly environmentBelow: string; readonly message: string };

/** A reason short enough to be "x" or "asap" explains nothing to whoever reads the record. */
const MIN_FORCE_REASON = 10;

/**
 * Cutovers go non-production first: a plan may start in an environment only once the same plan (by
 * digest) has completed in the environment below it. The lowest environment needs nothing; `--force`
 * with a reason overrides the refusal, and the decision carries the reason so it is recorded.
 */
export function decidePromotion(request: PromotionRequest): PromotionDecision {
  const index = request.environments.indexOf(request.environment);
  if (index === -1) {
    throw new InputError(
      `--environment: "${request.environment}" is not a configured environment; expected one of ${request.environments.join(', ')}`,
    );
  }
  const forceReason = request.forceReason?.trim();
  if (request.forceReason !== undefined && (forceReason ?? '').length < MIN_FORCE_REASON) {
    throw new InputError(
      `--force: the reason "${forceReason}" is too short; explain in at least ${MIN_FORCE_REASON} characters why the order is skipped`,
    );
  }
  if (index === 0) return { allowed: true, basis: 'lowest-environment' };
  const environmentBelow = request.environments[index - 1]!;
  const completed = request.history.find(
    (run) =>
      run.environment === environmentBelow &&
      run.planDigest === request.planDigest &&
      run.outcome === 'completed',
  );
  if (completed) {
    return { allowed: true, basis: 'completed-below', environmentBelow, execution: completed.execution };
  }
  if (forceReason) return { allowed: true, basis: 'forced', environmentBelow, reason: forceReason };
  const tried = request.history.filter(
    (run) => run.environment === environmentBelow && run.planDigest === request.planDigest,
  );
  const why = tried.length
    ? `it ran there ${tried.length} time(s) without completing (${tried.map((run) => `${run.execution}: ${run.outcome}`).join(', ')})`
    : 'it has not run there';
  return {
    allowed: false,
    environmentBelow,
    message: `plan ${request.planDigest} has not completed in ${environmentBelow}, the environment below ${request.environment}: ${why}; run it in ${environmentBelow} first, or pass --force <reason>`,
  };
}
