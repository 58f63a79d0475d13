import {
  CONTEXT_VERSION,
  isExecutionContext,
  type ExecutionContext,
} from '../domain/context/execution-context';
import { array, check, int, number, object, string } from './input';

/** Every step after `validate-plan` reads the resolved execution context it produced, and nothing else of the plan. */
export const contextFields = {
  context: check(
    `the execution context (version ${CONTEXT_VERSION}) that validate-plan returns`,
    isExecutionContext,
  ),
};
export const contextInput = object(contextFields);

export const shiftStep = object({
  index: int(0),
  greenPercent: int(0, 100),
  weights: object({ blue: int(0, 255), green: int(0, 255) }),
  bakeSeconds: number(0),
  ttlSeconds: number(0),
});

export const tickets = array(object({ id: string, hostedZoneId: string }));

/** The plan's own topic, for a CutoverEvent: told as well as the orchestrator's. */
export function topicOf(context: Pick<ExecutionContext, 'notificationTopicArn'>): { planTopicArn?: string } {
  return context.notificationTopicArn ? { planTopicArn: context.notificationTopicArn } : {};
}
