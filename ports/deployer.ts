import type { DeploymentStatus } from '../domain/deploy/deployment-status';

export type { DeploymentState, DeploymentStatus } from '../domain/deploy/deployment-status';

/** Brings up the green side next to blue. */
export interface Deployer {
  /** Starts (or converges to) the deployment; idempotent. */
  start(signal?: AbortSignal): Promise<DeploymentStatus>;
  status(signal?: AbortSignal): Promise<DeploymentStatus>;
  /**
   * Stops a deployment still changing things when the cutover gives up on it, if the kind can:
   * `rollbackTo` is what `start` recorded green ran before (absent when it recorded nothing).
   */
  cancel?(rollbackTo: string | undefined, signal?: AbortSignal): Promise<void>;
}
