import { parseAllowedRecords, type AllowedZone } from '../../domain/allowed-records';
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
