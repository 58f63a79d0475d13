import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Ports } from '../workflow/ports';
import type { Step } from '../workflow/step';

const logger = new Logger({ serviceName: 'cutover' });
const metrics = new Metrics({ namespace: 'Cutover', serviceName: 'cutover' });
const tracer = new Tracer({ serviceName: 'cutover' });

/**
 * Wraps one workflow step as a Lambda handler: parse the input, run the step with the ports, return
 * its small JSON result. Errors keep their names, which the state machine's Retry/Catch match on.
 * Inputs are never logged whole: they may carry a task token.
 */
export function stepHandler<P = Ports>(step: Step<z.ZodType, unknown, P>, ports: () => Promise<P>) {
  return middy(
    async (event: unknown, _context: Context, { signal }: { signal: AbortSignal }) => {
      const input = step.input.parse(event);
      logger.appendKeys({ step: step.name, execution: executionOf(input) });
      try {
        const output = await step.run(await ports(), input, signal);
        metrics.addMetric('StepSucceeded', MetricUnit.Count, 1);
        return output;
      } catch (error) {
        metrics.addMetric('StepFailed', MetricUnit.Count, 1);
        logger.warn('step failed', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        throw error;
      }
    },
    { timeoutEarlyInMillis: 1000 },
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(captureLambdaHandler(tracer));
}

function executionOf(input: unknown): string | undefined {
  const execution = (input as { execution?: unknown } | null)?.execution;
  return typeof execution === 'string' ? execution : undefined;
}
