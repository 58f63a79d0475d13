import { validatePlan } from '../../domain/plan/validate';
import { exitCodeOf } from '../../local/rehearsal/rehearsal-report';
import { runRehearsal } from '../../local/rehearsal/run-rehearsal';
import { examplePlan } from '../support/plans';
import { WORKER_LOCK_DIRECTORY } from '../support/rehearsal';

jest.setTimeout(240_000);

/** Shorter than Route 53's 60 s, so the test stays short; the timing model itself is unit-tested. */
const INSYNC_SECONDS = 3;

describe('a rehearsal with real DNS timing', () => {
  it('stalls writes for the endpoint’s propagation at least, and says the cutover was not zero-downtime', async () => {
    const raw = examplePlan('app-postgres-logical.yaml');
    if (raw.database?.kind !== 'postgres-logical')
      throw new Error('the demo plan switches a PostgreSQL database');
    raw.database.endpoint.ttl = 1;
    const { report, writeStalls } = await runRehearsal({
      plan: validatePlan(raw).plan,
      timeScale: 0.01,
      ratePerSecond: 100,
      baselineMs: 1500,
      cooldownMs: 500,
      realDnsTiming: { insyncSeconds: INSYNC_SECONDS },
      lockDirectory: WORKER_LOCK_DIRECTORY,
    });
    expect(report.outcome).toBe('completed');
    expect(report.dns).toMatchObject({ mode: 'aws', endpointPropagationMs: 3000, endpointTtlMs: 1000 });
    // Writes wait on frozen blue until the apps see green: at least the propagation.
    expect(report.writeStallMs).toBeGreaterThanOrEqual(INSYNC_SECONDS * 1000);
    expect(writeStalls.some((stall) => stall.endMs - stall.startMs >= INSYNC_SECONDS * 1000)).toBe(true);
    // Writes that waited longer than the load's 2 s timeout failed.
    expect(report.requests.failed).toBeGreaterThan(0);
    expect(report.zeroDowntime).toBe(false);
    expect(exitCodeOf(report)).toBe(3);
  });
});
