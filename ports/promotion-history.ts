import type { FinishedCutover } from '../domain/promotion/promotion-order';

/** The finished cutovers of one environment (the one below, for the promotion check), by promotion digest. */
export interface PromotionHistory {
  /** The environment whose history this is, e.g. `staging`. */
  readonly environment: string;
  finished(promotionDigest: string, signal?: AbortSignal): Promise<FinishedCutover[]>;
}
