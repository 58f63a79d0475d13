export type DeploymentState = 'in_progress' | 'complete' | 'failed';

export interface DeploymentStatus {
  readonly state: DeploymentState;
  /** For a failure: the failing resource and its reason. */
  readonly reason?: string;
}

/** Brings up the green side next to blue. */
export interface Deployer {
  /** Starts (or converges to) the deployment; idempotent. */
  start(signal?: AbortSignal): Promise<DeploymentStatus>;
  status(signal?: AbortSignal): Promise<DeploymentStatus>;
}
