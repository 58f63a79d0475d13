import { rehearseDemo } from '../support/rehearsal';

jest.setTimeout(180_000);

describe('rehearsal faults end in the safe state, and the report says why', () => {
  it('green-fails-to-start: the ecs deploy fails like the circuit breaker, and the stop path leaves blue serving', async () => {
    const { report } = await rehearseDemo(['green-fails-to-start']);
    expect({ outcome: report.outcome, cause: report.cause }).toMatchObject({
      outcome: 'failed',
      cause: expect.stringContaining(
        'deploy: DeployFailed: green deployment failed: ECS deployment local-svc/1 of 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:2.0.0 failed: ECS deployment circuit breaker: tasks failed to start. (3 tasks failed)',
      ),
    });
    expect(report.greenDeployments).toMatchObject([{ taskDefinition: 'orders-green:2', state: 'FAILED' }]);
    expect(report.finalWeights).toEqual({ blue: 100, green: 0 });
    expect(report.requests.failed).toBe(0);
    expect(report.requests.byTarget.green.total).toBe(0);
    expect(report.phases.map((p) => p.name)).toEqual(['validate', 'preflight', 'deploy', 'finalize']);
  });

  it.each([
    ['green-unhealthy', 'HealthCheckFailed'],
    ['green-slow', 'HealthCheckFailed'],
    ['replication-stalled', 'ReplicationLagging'],
    ['data-drift', 'VerificationFailed'],
  ])('%s: rolls back to blue 100 %% (%s)', async (fault, reason) => {
    const { report } = await rehearseDemo([fault]);
    // The cause rides along so that a different ending says why.
    expect({ outcome: report.outcome, cause: report.cause }).toMatchObject({ outcome: 'rolled_back' });
    expect(report.finalWeights).toEqual({ blue: 100, green: 0 });
    expect(report.rollback?.reason).toContain(reason);
    expect(report.faults).toEqual([fault]);
    expect(report.requests.byTarget.blue.failed).toBe(0);
    if (fault === 'data-drift') expect(report.dataCheck.mismatches).toBeGreaterThan(0);
    if (fault === 'green-unhealthy') expect(report.rollback?.seconds).toBeGreaterThan(0);
  });
});
