import * as z from 'zod';
import {
  CONTEXT_VERSION,
  isExecutionContext,
  type ExecutionContext,
} from '../domain/context/execution-context';

/** Every step after `validate-plan` reads the resolved execution context it produced, and nothing else of the plan. */
export const contextInput = z.object({
  context: z.custom<ExecutionContext>(isExecutionContext, {
    error: `expected the execution context (version ${CONTEXT_VERSION}) that validate-plan returns`,
  }),
});

export const shiftStepSchema = z.object({
  index: z.number().int().min(0),
  greenPercent: z.number().int().min(0).max(100),
  weights: z.object({ blue: z.number().int(), green: z.number().int() }),
  bakeSeconds: z.number().min(0),
  ttlSeconds: z.number().min(0),
});

export const ticketsSchema = z.array(z.object({ id: z.string(), hostedZoneId: z.string() }));

/** The plan's own topic, for a CutoverEvent: told as well as the orchestrator's. */
export function topicOf(context: Pick<ExecutionContext, 'notificationTopicArn'>): { planTopicArn?: string } {
  return context.notificationTopicArn ? { planTopicArn: context.notificationTopicArn } : {};
}
