import { durationSeconds } from '../duration';
import type { Runbook } from './schema';

/**
 * Why a scheduled run must not start now — it is later than the schedule's "not after" — or undefined
 * when it may run. A run started by hand (no scheduled time) is never late.
 */
export function lateness(runbook: Runbook, scheduledTime: string | undefined, now: Date): string | undefined {
  if (!scheduledTime || !runbook.schedule) return undefined;
  const scheduled = Date.parse(scheduledTime);
  if (Number.isNaN(scheduled)) return undefined;
  const lateBySeconds = Math.round((now.getTime() - scheduled) / 1000);
  if (lateBySeconds <= durationSeconds(runbook.schedule.notAfter)) return undefined;
  return `scheduled for ${scheduledTime}, started ${lateBySeconds} s late (notAfter ${runbook.schedule.notAfter})`;
}
