import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanValidationError } from '../../domain/errors';
import { parsePlanText } from '../../domain/plan/parse';
import { validatePlan } from '../../domain/plan/validate';
import { EXAMPLES, EXAMPLES_DIR, examplePlan } from '../support/plans';

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PlanValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the plan to be rejected');
}

describe('plan validation', () => {
  it.each(EXAMPLES)('accepts the example %s without warnings', (file) => {
    const { warnings } = parsePlanText(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
    expect(warnings).toEqual([]);
  });

  it('applies defaults the plan leaves out', () => {
    const input = examplePlan();
    delete input.health.interval;
    delete input.health.failureThreshold;
    delete input.deploy;
    const { plan } = validatePlan(input);
    expect(plan.health.interval).toBe('10s');
    expect(plan.health.failureThreshold).toBe(3);
    expect(plan.health.inconclusive).toBe('pause');
    expect(plan.deploy).toEqual({ kind: 'none' });
  });

  it('accepts the same plan written as JSON', () => {
    const { plan } = parsePlanText(JSON.stringify(examplePlan()));
    expect(plan.name).toBe('orders-to-rds');
  });

  it('warns, without rejecting, when a TTL makes rollback slow', () => {
    const input = examplePlan();
    input.dns.records[0]!.ttl = 3600;
    input.traffic.bake = '2h';
    const { warnings } = validatePlan(input);
    expect(warnings).toEqual([
      {
        path: 'dns.records[0].ttl',
        message: '3600s means a rollback can take 1h to reach clients; 300s or less is recommended',
      },
    ]);
  });

  it('reports every problem at once, not just the first', () => {
    const input = examplePlan();
    input.traffic.steps = [1, 150, 100];
    (input.dns.records[0] as Record<string, unknown>)['weight'] = 10;
    expect(issuesOf(() => validatePlan(input))).toEqual([
      'dns.records[0].weight: unknown field "weight"; expected one of: hostedZoneId, name, type, ttl, blue, green',
      'traffic.steps[1]: 150 is outside 1–100; a shift step sends 1 to 100 % to green',
    ]);
  });

  it('fails when a secret hides deep in a list', () => {
    const input = examplePlan() as unknown as { health: { probes: Record<string, unknown>[] } };
    input.health.probes[0]!['token'] = 'abc';
    expect(issuesOf(() => validatePlan(input))).toContain(
      'health.probes[0].token: secrets must not be written in a plan; store it in Secrets Manager and reference it with secretArn',
    );
  });

  it('fails when the document is not a mapping', () => {
    expect(issuesOf(() => parsePlanText('- just\n- a list\n'))).toEqual([
      ': a plan is a mapping with name, dns, health and traffic; got a list of 2',
    ]);
  });
});
