import { SEED_ROWS } from '../../local/rehearsal/local-platform';
import { rehearseDemo } from '../support/rehearsal';

jest.setTimeout(180_000);

describe('rehearsal of the demo plan', () => {
  it('completes with no failed request, green at 100 % and the data verified', async () => {
    const { report } = await rehearseDemo();
    // The cause rides along so that a different ending says why.
    expect({ outcome: report.outcome, cause: report.cause }).toEqual({ outcome: 'completed', cause: null });
    expect(report.finalWeights).toEqual({ blue: 0, green: 100 });
    expect(report.requests.failed).toBe(0);
    expect(report.requests.byTarget.green.total).toBeGreaterThan(0);
    expect(report.dataCheck).toMatchObject({ tables: 3, mismatches: 0 });
    // Every seeded row is compared before the freeze, in many chunks (more than one per table).
    expect(report.dataCheck.rowsCompared).toBeGreaterThanOrEqual(SEED_ROWS.orders + 2 * SEED_ROWS.other);
    expect(SEED_ROWS.orders).toBeGreaterThanOrEqual(200_000);
    expect(report.dataCheck.chunks).toBeGreaterThan(3);
    expect(report.rollback).toBeNull();
    expect(report.phases.map((p) => p.name)).toEqual([
      'validate',
      'preflight',
      'deploy',
      'shift-1',
      'shift-2',
      'shift-3',
      'shift-4',
      'database-prepare',
      'database-switch',
      'finalize',
    ]);
    expect(report.writeStallMs).toBeGreaterThan(0);
    expect(report.transitions).toBeGreaterThan(40);
    // Green was started by the deploy step (deploy: ecs): one new revision with the plan's image.
    expect(report.greenDeployments).toEqual([
      {
        taskDefinition: 'orders-green:2',
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:2.0.0',
        state: 'COMPLETED',
        reason: null,
        startedAt: expect.any(String),
      },
    ]);
    const deploy = report.phases.find((p) => p.name === 'deploy')!;
    expect(report.greenDeployments[0]!.startedAt >= deploy.startedAt).toBe(true);
    expect(report.greenDeployments[0]!.startedAt <= deploy.endedAt).toBe(true);
  });

  it('completes when an idempotent step crashes once: the step is retried, nothing rolls back', async () => {
    const { report } = await rehearseDemo(['step-crash:SetWeights']);
    expect({ outcome: report.outcome, cause: report.cause }).toEqual({ outcome: 'completed', cause: null });
    expect(report.rollback).toBeNull();
    expect(report.finalWeights).toEqual({ blue: 0, green: 100 });
  });

  it('completes when the traffic API throttles three weight changes', async () => {
    const { report } = await rehearseDemo(['router-throttled:3']);
    expect({ outcome: report.outcome, cause: report.cause }).toEqual({ outcome: 'completed', cause: null });
    expect(report.finalWeights.green).toBe(100);
    expect(report.requests.failed).toBe(0);
  });
});
