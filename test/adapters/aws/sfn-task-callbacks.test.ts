import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SfnTaskCallbacks } from '../../../adapters/aws/sfn-task-callbacks';

const sfn = mockClient(SFNClient);
const callbacks = new SfnTaskCallbacks(new SFNClient({}));
const taskToken = 'AQB4AAAAKgAAAAMAAAAA-token';

beforeEach(() => sfn.reset());

it('sends the output as a JSON string', async () => {
  sfn.on(SendTaskSuccessCommand).resolves({});

  await callbacks.succeed(taskToken, { verdict: 'healthy', rounds: 30 });

  expect(sfn).toReceiveCommandWith(SendTaskSuccessCommand, {
    taskToken,
    output: '{"verdict":"healthy","rounds":30}',
  });
});

it('sends the error and a cause cut to the 32768 characters Step Functions accepts', async () => {
  sfn.on(SendTaskFailureCommand).resolves({});

  await callbacks.fail(taskToken, 'HealthCheckFailed', 'x'.repeat(40000));

  expect(sfn).toReceiveCommandWith(SendTaskFailureCommand, {
    taskToken,
    error: 'HealthCheckFailed',
    cause: 'x'.repeat(32768),
  });
});

it.each([
  ['TaskTimedOut', new TaskTimedOut({ $metadata: {}, message: 'Task Timed Out' })],
  ['InvalidToken', new InvalidToken({ $metadata: {}, message: 'Invalid Token' })],
  ['TaskDoesNotExist', new TaskDoesNotExist({ $metadata: {}, message: 'Task does not exist' })],
])('does nothing when the wait is already over (%s)', async (_name, error) => {
  sfn.on(SendTaskSuccessCommand).rejects(error);
  sfn.on(SendTaskFailureCommand).rejects(error);

  await expect(callbacks.succeed(taskToken, {})).resolves.toBeUndefined();
  await expect(
    callbacks.fail(taskToken, 'OperatorRollback', 'alice pressed Rollback'),
  ).resolves.toBeUndefined();
});

it('fails with Throttled when Step Functions throttles', async () => {
  sfn
    .on(SendTaskSuccessCommand)
    .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

  await expect(callbacks.succeed(taskToken, {})).rejects.toMatchObject({ name: 'Throttled' });
});
