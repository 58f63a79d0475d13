import { PriorRequestNotComplete } from '@aws-sdk/client-route-53';
import { rethrowAwsError } from '../../../adapters/aws/aws-errors';
import { CutoverError } from '../../../domain/errors';

function awsError(name: string, message = 'Rate exceeded'): Error {
  return Object.assign(new Error(message), { name });
}

function thrownBy(error: unknown): unknown {
  try {
    rethrowAwsError(error);
  } catch (thrown) {
    return thrown;
  }
  throw new Error('rethrowAwsError returned');
}

it.each(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'])(
  'turns %s into Throttled',
  (name) => {
    const original = awsError(name);
    const thrown = thrownBy(original);

    expect(thrown).toBeInstanceOf(CutoverError);
    expect(thrown).toMatchObject({
      name: 'Throttled',
      message: `AWS throttled the request (${name}): Rate exceeded`,
    });
    expect((thrown as Error).cause).toBe(original);
  },
);

it('turns PriorRequestNotComplete into PriorRequestNotComplete', () => {
  const thrown = thrownBy(new PriorRequestNotComplete({ $metadata: {}, message: 'still processing' }));

  expect(thrown).toBeInstanceOf(CutoverError);
  expect(thrown).toMatchObject({ name: 'PriorRequestNotComplete' });
});

it.each([awsError('AccessDeniedException', 'not authorized'), 'a string', undefined])(
  'rethrows anything else unchanged (%p)',
  (error) => {
    expect(thrownBy(error)).toBe(error);
  },
);
