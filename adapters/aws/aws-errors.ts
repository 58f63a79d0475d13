import { CutoverError } from '../../domain/errors';

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);

/**
 * Rethrows an AWS SDK error under the name the state machine retries on (`Throttled`,
 * `PriorRequestNotComplete`), or unchanged. Use as `client.send(cmd).catch(rethrowAwsError)`.
 * Adapters never loop on throttling themselves: Step Functions retries the whole step with backoff.
 */
export function rethrowAwsError(error: unknown): never {
  if (error instanceof Error) {
    if (THROTTLING.has(error.name)) {
      throw translated('Throttled', `AWS throttled the request (${error.name}): ${error.message}`, error);
    }
    if (error.name === 'PriorRequestNotComplete') {
      throw translated(
        'PriorRequestNotComplete',
        `the previous change is still in progress: ${error.message}`,
        error,
      );
    }
  }
  throw error;
}

function translated(
  name: 'Throttled' | 'PriorRequestNotComplete',
  message: string,
  cause: Error,
): CutoverError {
  return Object.assign(new CutoverError(name, message), { cause });
}

/** True for an SDK error with one of `names` (service exception classes set `name` to the error code). */
export function isAwsError(error: unknown, ...names: readonly string[]): error is Error {
  return error instanceof Error && names.includes(error.name);
}
