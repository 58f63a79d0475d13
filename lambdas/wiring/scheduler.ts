import type { Ports } from '../../workflow/ports';
import { STEP_ENV } from '../../workflow/step-environment';
import { deferred } from './deferred';
import { requiredEnv } from './environment';

/** One-time EventBridge Scheduler schedules that run the finalize step when blue's retention ends. */
export const finalizeSchedule = (): Ports['finalizeSchedule'] =>
  deferred(async () => {
    const [{ SchedulerClient }, { SchedulerFinalizeSchedule }] = await Promise.all([
      import('@aws-sdk/client-scheduler'),
      import('../../adapters/aws/scheduler-finalize-schedule.js'),
    ]);
    return new SchedulerFinalizeSchedule(new SchedulerClient({}), {
      groupName: requiredEnv(STEP_ENV.finalizeScheduleGroup),
      functionArn: requiredEnv(STEP_ENV.finalizeFunction),
      roleArn: requiredEnv(STEP_ENV.finalizeSchedulerRole),
      failuresArn: requiredEnv(STEP_ENV.finalizeFailures),
    });
  });
