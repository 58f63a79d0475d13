import { rehearseDemo } from '../support/rehearsal';

jest.setTimeout(180_000);

describe('rehearsal faults end in the safe state, and the report says why', () => {
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
