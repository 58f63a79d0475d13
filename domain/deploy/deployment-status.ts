export type DeploymentState = 'in_progress' | 'complete' | 'failed';

export interface DeploymentStatus {
  readonly state: DeploymentState;
  /** For a failure: the failing resource and its reason. */
  readonly reason?: string;
  /** What the deployment changes, reported once as it starts changing things (a change set's summary). */
  readonly changes?: readonly string[];
  /**
   * What green ran before this deployment, recorded when it starts, so that giving up can return green
   * to it (ECS: the service's previous task definition).
   */
  readonly rollbackTo?: string;
}
