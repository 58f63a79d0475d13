import { scalePlanTime } from '../../domain/plan/time-scale';
import { validatePlan } from '../../domain/plan/validate';
import { awsDnsTiming, cachedAnswer, scaledDnsTiming } from '../../local/rehearsal/dns-timing';
import { examplePlan } from '../support/plans';

const plan = validatePlan(examplePlan('app-postgres-logical.yaml')).plan;

describe('DNS timing of a rehearsal', () => {
  it('by default runs at the rehearsal’s pace: 5 s × the time scale, the scaled TTL, no caching resolver', () => {
    expect(scaledDnsTiming(scalePlanTime(plan, 0.05), 0.05)).toEqual({
      recordPropagationMs: 250,
      endpointPropagationMs: 250,
      endpointTtlMs: 1000,
      resolverCaches: false,
    });
  });

  it('with real DNS timing, switches the endpoint as on AWS: INSYNC within 60 s, then the plan’s TTL', () => {
    expect(awsDnsTiming(plan, 0.05)).toEqual({
      // The traffic steps keep the rehearsal's pace.
      recordPropagationMs: 250,
      endpointPropagationMs: 60_000,
      // The demo's endpoint TTL, 5 s, not scaled.
      endpointTtlMs: 5000,
      resolverCaches: true,
    });
  });

  it('can be told a shorter INSYNC', () => {
    expect(awsDnsTiming(plan, 0.05, 3).endpointPropagationMs).toBe(3000);
  });

  it('keeps a TTL of 0 above nothing', () => {
    const zero = {
      ...plan,
      database: {
        ...plan.database,
        endpoint: { ...(plan.database as { endpoint: object }).endpoint, ttl: 0 },
      },
    };
    expect(awsDnsTiming(zero as typeof plan, 1).endpointTtlMs).toBe(50);
  });
});

describe('cachedAnswer', () => {
  it('answers from its cache for the TTL, then looks up again', () => {
    let now = 0;
    let value = 'blue';
    const answer = cachedAnswer(
      () => value,
      1000,
      () => now,
    );
    expect(answer()).toBe('blue');
    value = 'green';
    now = 999;
    expect(answer()).toBe('blue');
    now = 1000;
    expect(answer()).toBe('green');
  });
});
