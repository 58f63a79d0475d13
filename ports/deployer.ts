export type DeploymentState = 'in_progress' | 'complete' | 'failed';

export interface DeploymentStatus {
  readonly state: DeploymentState;
  /** For a failure: the failing resource and its reason. */
  readonly reason?: string;
  /** What the deployment changes, reported once as it starts changing things (a change set's summary). */
  readonly changes?: readonly string[];
}

/** Brings up the green side next to blue. */
export interface Deployer {
  /** Starts (or converges to) the deployment; idempotent. */
  start(signal?: AbortSignal): Promise<DeploymentStatus>;
  status(signal?: AbortSignal): Promise<DeploymentStatus>;
  /** Stops a deployment still changing things when the cutover gives up on it, if the kind can. */
  cancel?(signal?: AbortSignal): Promise<void>;
}
