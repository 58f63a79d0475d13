import { createHash } from 'node:crypto';
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ExecutionContext } from '../../domain/context/execution-context';
import type { FinalizeSchedule } from '../../ports/finalize-schedule';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

export interface SchedulerFinalizeScheduleProps {
  /** The schedule group the finalize schedules go in (the step's role may create schedules there only). */
  readonly groupName: string;
  /** The finalize step's Lambda function. */
  readonly functionArn: string;
  /** The role EventBridge Scheduler invokes it with. */
  readonly roleArn: string;
  /** The SQS queue that keeps a schedule Scheduler could not deliver (the role may send to it). */
  readonly failuresArn: string;
}

/**
 * How long Scheduler goes on trying to deliver (its maximum: a day), and how often. The finalize's own
 * errors are retried by Lambda (asynchronous invocation), then kept in the same queue.
 */
const DELIVERY_RETRY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 };

/** A schedule's name: at most 64 of [0-9a-zA-Z-_.]. */
const NAME_LIMIT = 64;

/**
 * A one-time EventBridge Scheduler schedule per execution (`at(...)`, deleted once it has run) invoking
 * the finalize step with the execution's context. Named after the execution, so a retried step finds
 * its schedule already there (ConflictException) and leaves it.
 */
export class SchedulerFinalizeSchedule implements FinalizeSchedule {
  constructor(
    private readonly client: SchedulerClient,
    private readonly props: SchedulerFinalizeScheduleProps,
  ) {}

  async schedule(context: ExecutionContext, at: Date, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: scheduleName(context.execution),
          GroupName: this.props.groupName,
          ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Description: `cutover ${context.plan}: remove the replication once blue is no longer kept`,
          Target: {
            Arn: this.props.functionArn,
            RoleArn: this.props.roleArn,
            Input: JSON.stringify({ context }),
            RetryPolicy: DELIVERY_RETRY,
            DeadLetterConfig: { Arn: this.props.failuresArn },
          },
        }),
        withSignal(signal),
      );
    } catch (error) {
      if (error instanceof ConflictException) return;
      rethrowAwsError(error);
    }
  }
}

/** `finalize-<execution name>`, cut to fit, with a digest of the execution ARN so two never collide. */
export function scheduleName(execution: string): string {
  const digest = createHash('sha256').update(execution).digest('hex').slice(0, 16);
  const name = execution.slice(execution.lastIndexOf(':') + 1).replace(/[^0-9a-zA-Z_.-]/g, '-');
  return `${`finalize-${name}`.slice(0, NAME_LIMIT - digest.length - 1)}-${digest}`;
}
