import { LocalTaskCallbacks } from '../../adapters/local/local-task-callbacks';
import { AwsErrorNames } from '../../domain/errors';
import { PAYLOAD_LIMIT_BYTES } from '../../local/workflow-runner';
import { expectStopped } from '../support/workflow-expectations';
import { fastPlan, Scenario, workflowDefinition } from '../support/workflow-harness';

beforeAll(() => workflowDefinition());

/** Every limit from the template at 1/50: a 120 s function Timeout becomes 2.4 s. */
const TIMEOUT_SCALE = 0.02;

describe('local runner: as strict as AWS', () => {
  it("reads each step function's Timeout from the synthesized template", () => {
    const { functionTimeouts } = workflowDefinition();
    expect(functionTimeouts['start-deploy']).toBe(120);
    expect(functionTimeouts['watch-bakes']).toBe(60);
  });

  it('fails a step that sleeps past its function timeout as it would on AWS: the early timeout 1 s before', async () => {
    const scenario = new Scenario(fastPlan());
    scenario.deployWork = () => new Promise((resolve) => setTimeout(resolve, 5_000));
    const result = await scenario.run({ timeoutScale: TIMEOUT_SCALE });
    // middy ends the invocation 1 s before Lambda would, with a named error the workflow catches.
    expectStopped(scenario, result, 'deploy', 'TimeoutError', '[AbortError]: The operation was aborted.');
  });

  it('cuts off a step that does not return before its function timeout, with the error Lambda reports', async () => {
    const scenario = new Scenario(fastPlan());
    scenario.deployWork = async () => {
      const until = Date.now() + 120_000 * TIMEOUT_SCALE + 200;
      while (Date.now() < until); // CPU-bound past the deadline: nothing in the process can answer in time
    };
    const result = await scenario.run({ timeoutScale: TIMEOUT_SCALE });
    const lambdaCause = `{"errorType":"${AwsErrorNames.LambdaTimedOut}","errorMessage":"RequestId: `;
    expectStopped(scenario, result, 'deploy', AwsErrorNames.LambdaTimedOut, lambdaCause);
    expect(result.cause).toContain('Error: Task timed out after 120.00 seconds');
  });

  it('refuses an execution input over 256 KiB, as StartExecution does', () => {
    const scenario = new Scenario(fastPlan());
    const plan = { ...scenario.plan, description: 'x'.repeat(PAYLOAD_LIMIT_BYTES) };
    expect(() => scenario.start({ plan })).toThrow(
      /^the execution input is \d+ bytes, over the 262144-byte limit of Step Functions$/,
    );
  });

  it('fails a callback wait with States.HeartbeatTimeout when no heartbeat arrives in HeartbeatSeconds', async () => {
    const callbacks = new LocalTaskCallbacks();
    const silent = callbacks.issue(30);
    await expect(silent.answer).rejects.toMatchObject({ name: AwsErrorNames.HeartbeatTimedOut });

    const beating = callbacks.issue(40);
    for (let beat = 0; beat < 4; beat += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await callbacks.heartbeat(beating.token);
    }
    await callbacks.succeed(beating.token, { ok: true });
    await expect(beating.answer).resolves.toEqual({ ok: true });
  });
});
