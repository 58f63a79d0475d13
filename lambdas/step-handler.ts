import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Ports } from '../workflow/ports';
import { readInput, type Step } from '../workflow/step';

const logger = new Logger({ serviceName: 'cutover' });

/**
 * Wraps one workflow step as a Lambda handler: parse the input, run the step with the ports, return
 * its small JSON result. Errors keep their names, which the state machine's Retry/Catch match on.
 * Inputs are never logged whole: they may carry a task token.
 *
 * No Powertools Metrics or Tracer: each step is its own function, so Lambda's own Invocations and
 * Errors metrics count every step's successes and failures, and active tracing records each
 * invocation; the two libraries would double a bundle's size (see BENCHMARKS.md).
 */
export function stepHandler<P = Ports>(step: Step<unknown, unknown, P>, ports: () => Promise<P>) {
  return middy(
    async (event: unknown, context: Context, { signal }: { signal: AbortSignal }) => {
      const input = readInput(step.input, event);
      logger.appendKeys({ step: step.name, execution: executionOf(input) });
      try {
        return await step.run(await ports(), input, signal, {
          remainingMs: () => context.getRemainingTimeInMillis(),
        });
      } catch (error) {
        logger.warn('step failed', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        throw error;
      }
    },
    { timeoutEarlyInMillis: 1000 },
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}

function executionOf(input: unknown): string | undefined {
  const fields = input as { execution?: unknown; context?: { execution?: unknown } } | null;
  const execution = fields?.context?.execution ?? fields?.execution;
  return typeof execution === 'string' ? execution : undefined;
}
