import { InputError, PromotionRefusedError } from '../domain/errors';
import type { Plan } from '../domain/plan/schema';
import { promotionDigest } from '../domain/promotion/promotion-digest';
import { decidePromotion, type PromotionDecision } from '../domain/promotion/promotion-order';
import type { PromotionHistory } from '../ports/promotion-history';

/** What `cutover start` says besides the plan: where the operator means to start it, and any override. */
export interface StartRequest {
  /** `--environment`: must be this orchestrator's environment. @default - this orchestrator's */
  readonly environment?: string;
  /** `--force <reason>`: start although the plan has not completed in the environment below. */
  readonly force?: string;
}

export interface PromotionGateProps {
  /** The environments, lowest first (`cutover:environments`). */
  readonly environments: readonly string[];
  /** This orchestrator's environment (`cutover:environment`). */
  readonly environment: string;
  /** The history of the environment below; none for the lowest environment. */
  readonly below?: PromotionHistory;
}

export type AllowedPromotion = Extract<PromotionDecision, { allowed: true }> & { readonly digest: string };

/** Cutovers go non-production first: a plan starts here only once it has completed in the environment below. */
export class PromotionGate {
  constructor(private readonly props: PromotionGateProps) {
    const index = props.environments.indexOf(props.environment);
    if (index === -1) {
      throw new Error(
        `promotion: environment ${props.environment} is not one of ${props.environments.join(', ')}`,
      );
    }
    const expected = props.environments[index - 1];
    if (props.below?.environment !== expected) {
      throw new Error(
        `promotion: ${props.environment} reads the history of ${expected ?? 'no environment'}, not of ${props.below?.environment ?? 'none'}`,
      );
    }
  }

  get environment(): string {
    return this.props.environment;
  }

  /** Allowed (how) or throws: PromotionRefusedError, or InputError naming `--environment` / `--force`. */
  async check(plan: Plan, request: StartRequest, signal?: AbortSignal): Promise<AllowedPromotion> {
    const { environment, environments, below } = this.props;
    if (request.environment !== undefined && request.environment !== environment) {
      throw new InputError(
        `--environment: ${request.environment}, but this orchestrator runs the cutovers of ${environment}; call ${request.environment}'s orchestrator (--stack, --region, that account's credentials)`,
      );
    }
    const digest = promotionDigest(plan);
    const decision = decidePromotion({
      environments,
      environment,
      planDigest: digest,
      history: below ? await below.finished(digest, signal) : [],
      ...(request.force === undefined ? {} : { forceReason: request.force }),
    });
    if (!decision.allowed) throw new PromotionRefusedError(decision.message);
    return { ...decision, digest };
  }
}
