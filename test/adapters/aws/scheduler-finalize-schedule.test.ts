import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { scheduleName, SchedulerFinalizeSchedule } from '../../../adapters/aws/scheduler-finalize-schedule';
import { resolveExecutionContext } from '../../../domain/context/resolve-context';
import { validatePlan } from '../../../domain/plan/validate';
import { fastPlan } from '../../support/workflow-harness';

const scheduler = mockClient(SchedulerClient);
const EXECUTION =
  'arn:aws:states:eu-west-1:123456789012:execution:CutoverWorkflow:orders-to-rds-0123456789abcdef';
const FUNCTION = 'arn:aws:lambda:eu-west-1:123456789012:function:CutoverOrchestrator-finalize';
const ROLE = 'arn:aws:iam::123456789012:role/CutoverOrchestrator-FinalizeSchedulerRole';
const FAILURES = 'arn:aws:sqs:eu-west-1:123456789012:CutoverOrchestrator-FinalizeFailures';
const context = resolveExecutionContext(validatePlan(fastPlan({ database: true })).plan, EXECUTION);
const schedule = new SchedulerFinalizeSchedule(new SchedulerClient({}), {
  groupName: 'CutoverOrchestrator-finalize',
  functionArn: FUNCTION,
  roleArn: ROLE,
  failuresArn: FAILURES,
});

beforeEach(() => scheduler.reset());

describe('SchedulerFinalizeSchedule', () => {
  it('creates a one-time schedule at the end of blue’s retention, deleted once it has run', async () => {
    scheduler.on(CreateScheduleCommand).resolves({
      ScheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/CutoverOrchestrator-finalize/x',
    });

    await schedule.schedule(context, new Date('2026-12-01T09:30:15.250Z'));

    expect(scheduler).toReceiveCommandTimes(CreateScheduleCommand, 1);
    expect(scheduler).toReceiveCommandWith(CreateScheduleCommand, {
      Name: scheduleName(EXECUTION),
      GroupName: 'CutoverOrchestrator-finalize',
      ScheduleExpression: 'at(2026-12-01T09:30:15)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: FUNCTION,
        RoleArn: ROLE,
        Input: JSON.stringify({ context }),
        // Scheduler's maxima: delivery is retried for a day, then kept in the failures queue.
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: FAILURES },
      },
    });
  });

  it('leaves the schedule a first attempt created when the step is retried', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        $metadata: {},
        Message: 'Schedule already exists.',
        message: 'Schedule already exists.',
      }),
    );

    await expect(schedule.schedule(context, new Date('2026-12-01T09:30:00Z'))).resolves.toBeUndefined();
  });

  it('fails with Throttled when EventBridge Scheduler throttles', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(schedule.schedule(context, new Date('2026-12-01T09:30:00Z'))).rejects.toMatchObject({
      name: 'Throttled',
    });
  });
});

describe('scheduleName', () => {
  it.each([
    EXECUTION,
    `arn:aws:states:eu-west-1:123456789012:execution:CutoverWorkflow:${'a'.repeat(63)}-0123456789abcdef`,
  ])('fits EventBridge Scheduler’s rules (at most 64 of [0-9a-zA-Z-_.]) and is stable: %s', (execution) => {
    const name = scheduleName(execution);
    expect(name).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
    expect(name.startsWith('finalize-')).toBe(true);
    expect(scheduleName(execution)).toBe(name);
  });

  it('differs between executions whose names share a long prefix', () => {
    const long = `arn:aws:states:eu-west-1:1:execution:sm:${'a'.repeat(70)}`;
    expect(scheduleName(`${long}-1`)).not.toBe(scheduleName(`${long}-2`));
  });
});
