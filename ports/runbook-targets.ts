import type { Runbook } from '../domain/runbook/schema';

/** Finds the managed instances a runbook runs on (their SSM ids: i-… or mi-…). */
export interface TargetResolver {
  resolve(targets: Runbook['targets'], signal?: AbortSignal): Promise<string[]>;
}
