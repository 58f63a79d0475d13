/** The environment variables the stack gives every step's Lambda function, read by its composition root. */
export const STEP_ENV = {
  controlTable: 'CUTOVER_CONTROL_TABLE',
  eventsTopic: 'CUTOVER_EVENTS_TOPIC',
  allowedZones: 'CUTOVER_ALLOWED_ZONES',
  allowedProbeTargets: 'CUTOVER_ALLOWED_PROBE_TARGETS',
  watcherRule: 'CUTOVER_WATCHER_RULE',
  notificationTopics: 'CUTOVER_NOTIFICATION_TOPICS',
  cloudFormationRole: 'CUTOVER_CLOUDFORMATION_ROLE',
  /** record-outcome: where and how it schedules the finalize step. */
  finalizeScheduleGroup: 'CUTOVER_FINALIZE_SCHEDULE_GROUP',
  finalizeFunction: 'CUTOVER_FINALIZE_FUNCTION',
  finalizeSchedulerRole: 'CUTOVER_FINALIZE_SCHEDULER_ROLE',
  finalizeFailures: 'CUTOVER_FINALIZE_FAILURES',
  /** The web console's base URL: notifications link to an execution's page there. */
  consoleUrl: 'CUTOVER_CONSOLE_URL',
  step: 'CUTOVER_STEP',
} as const;
