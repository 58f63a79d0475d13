import { parseAllowedRecords, type AllowedZone } from '../../domain/allowed-records';
import { parseAllowedProbeTargets } from '../../domain/plan/probe-target';
import { STEP_ENV } from '../../workflow/step-environment';

/** A variable the stack sets on every step function; missing means a broken deployment. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function allowedZones(): readonly AllowedZone[] {
  return parseAllowedRecords(JSON.parse(requiredEnv(STEP_ENV.allowedZones)));
}

/** The private addresses health probes may reach (`cutover:allowedProbeTargets`). */
export function allowedProbeTargets(): readonly string[] {
  return parseAllowedProbeTargets(
    JSON.parse(process.env[STEP_ENV.allowedProbeTargets] ?? '[]'),
    STEP_ENV.allowedProbeTargets,
  );
}

/** The topics plans may name for their notifications (`cutover:notificationTopicArns`): none unless set. */
export function allowedNotificationTopics(): readonly string[] {
  const topics: unknown = JSON.parse(process.env[STEP_ENV.notificationTopics] ?? '[]');
  if (!Array.isArray(topics) || !topics.every((t) => typeof t === 'string')) {
    throw new Error(`environment variable ${STEP_ENV.notificationTopics} is not a list of topic ARNs`);
  }
  return topics;
}
