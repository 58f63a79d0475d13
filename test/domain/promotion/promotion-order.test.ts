import { InputError } from '../../../domain/errors';
import { planDigest } from '../../../domain/promotion/plan-digest';
import { decidePromotion, type FinishedCutover } from '../../../domain/promotion/promotion-order';

const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const DIGEST = planDigest({ name: 'orders-to-rds', traffic: { steps: [1, 10, 100] } });
const OTHER = planDigest({ name: 'orders-to-rds', traffic: { steps: [1, 50, 100] } });

function run(
  environment: string,
  outcome: FinishedCutover['outcome'],
  digest = DIGEST,
  execution = `${environment}-1`,
) {
  return { environment, planDigest: digest, execution, outcome } satisfies FinishedCutover;
}

describe('decidePromotion', () => {
  it.each([
    [
      'dev: the lowest environment needs nothing below',
      'dev',
      [],
      { allowed: true, basis: 'lowest-environment' },
    ],
    [
      'staging after the same plan completed in dev',
      'staging',
      [run('dev', 'rolled_back', DIGEST, 'dev-0'), run('dev', 'completed')],
      { allowed: true, basis: 'completed-below', environmentBelow: 'dev', execution: 'dev-1' },
    ],
    [
      'prod after it completed in staging (dev is not consulted)',
      'prod',
      [run('staging', 'completed')],
      { allowed: true, basis: 'completed-below', environmentBelow: 'staging', execution: 'staging-1' },
    ],
  ])('allows %s', (_, environment, history, expected) => {
    expect(decidePromotion({ environments: ENVIRONMENTS, environment, planDigest: DIGEST, history })).toEqual(
      expected,
    );
  });

  it.each([
    ['nothing ran below', [], 'it has not run there'],
    ['only in dev, two below prod', [run('dev', 'completed')], 'it has not run there'],
    ['a different plan completed below', [run('staging', 'completed', OTHER)], 'it has not run there'],
    [
      'it rolled back below',
      [run('staging', 'rolled_back'), run('staging', 'failed', DIGEST, 'staging-2')],
      'it ran there 2 time(s) without completing (staging-1: rolled_back, staging-2: failed)',
    ],
  ])('refuses prod when %s', (_, history, why) => {
    const decision = decidePromotion({
      environments: ENVIRONMENTS,
      environment: 'prod',
      planDigest: DIGEST,
      history,
    });
    expect(decision).toEqual({
      allowed: false,
      environmentBelow: 'staging',
      message: `plan ${DIGEST} has not completed in staging, the environment below prod: ${why}; run it in staging first, or pass --force <reason>`,
    });
  });

  it('lets --force with a reason override the refusal, carrying the reason to record', () => {
    expect(
      decidePromotion({
        environments: ENVIRONMENTS,
        environment: 'prod',
        planDigest: DIGEST,
        history: [],
        forceReason: '  staging is down for the quarterly DR test  ',
      }),
    ).toEqual({
      allowed: true,
      basis: 'forced',
      environmentBelow: 'staging',
      reason: 'staging is down for the quarterly DR test',
    });
  });

  it('prefers the completed run to the force when both are there (nothing was skipped)', () => {
    const decision = decidePromotion({
      environments: ENVIRONMENTS,
      environment: 'staging',
      planDigest: DIGEST,
      history: [run('dev', 'completed')],
      forceReason: 'habit of always forcing',
    });
    expect(decision).toMatchObject({ allowed: true, basis: 'completed-below' });
  });

  it('fails on a force without a real reason', () => {
    const decide = () =>
      decidePromotion({
        environments: ENVIRONMENTS,
        environment: 'prod',
        planDigest: DIGEST,
        history: [],
        forceReason: 'asap',
      });
    expect(decide).toThrow(InputError);
    expect(decide).toThrow(
      '--force: the reason "asap" is too short; explain in at least 10 characters why the order is skipped',
    );
  });

  it('fails on an environment that is not configured', () => {
    expect(() =>
      decidePromotion({
        environments: ENVIRONMENTS,
        environment: 'production',
        planDigest: DIGEST,
        history: [],
      }),
    ).toThrow(
      '--environment: "production" is not a configured environment; expected one of dev, staging, prod',
    );
  });
});

describe('planDigest', () => {
  it('is the same whatever the key order, and changes with any value', () => {
    expect(planDigest({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      planDigest({ b: { d: 'x', c: [1, 2] }, a: 1 }),
    );
    expect(planDigest({ a: 1, b: { c: [2, 1], d: 'x' } })).not.toBe(
      planDigest({ a: 1, b: { c: [1, 2], d: 'x' } }),
    );
    expect(DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
