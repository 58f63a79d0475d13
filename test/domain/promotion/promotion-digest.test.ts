import type { PlanInput } from '../../../domain/plan/schema';
import { validatePlan } from '../../../domain/plan/validate';
import { promotionDigest } from '../../../domain/promotion/promotion-digest';
import { examplePlan } from '../../support/plans';

/** The change as dev runs it: an ecs rollout of orders:1.4.2 plus the logical-replication switchover. */
function devPlan(): PlanInput {
  const plan = examplePlan('app-postgres-logical.yaml');
  plan.deploy = {
    kind: 'ecs',
    cluster: 'dev',
    service: 'orders-green',
    container: 'app',
    image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2',
  };
  return plan;
}

/** The same change in prod: every address differs (account, zones, records, secrets, probes, service). */
function prodPlan(): PlanInput {
  const plan = devPlan();
  const record = plan.dns.records[0]!;
  Object.assign(record, {
    hostedZoneId: 'Z0PRODPUBLIC',
    name: 'app.example.org',
    ttl: 60,
    blue: { setIdentifier: 'prod-blue', values: ['prod-blue-lb.example.org'] },
    green: {
      setIdentifier: 'prod-green',
      alias: { dnsName: 'prod-green-123.eu-west-1.elb.amazonaws.com', hostedZoneId: 'Z32O12XQLNTSW2' },
    },
  });
  plan.deploy = {
    kind: 'ecs',
    cluster: 'prod',
    service: 'orders-green-prod',
    container: 'app',
    image: '333333333333.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2',
  };
  plan.health.probes = [
    { kind: 'http', url: 'https://prod-green.example.org/healthz', latencyBudget: '500ms' },
  ];
  plan.description = 'prod, after the staging run';
  if (plan.database?.kind !== 'postgres-logical') throw new Error('expected the logical-replication example');
  plan.database.source = {
    secretArn: 'arn:aws:secretsmanager:eu-west-1:333333333333:secret:orders/blue-AbCdEf',
  };
  plan.database.target = {
    secretArn: 'arn:aws:secretsmanager:eu-west-1:333333333333:secret:orders/green-GhIjKl',
  };
  plan.database.endpoint = {
    ...plan.database.endpoint,
    hostedZoneId: 'Z0PRODPRIVATE',
    blue: 'pg.prod.internal',
  };
  plan.notifications = { snsTopicArn: 'arn:aws:sns:eu-west-1:333333333333:cutover-events' };
  return plan;
}

const digestOf = (plan: PlanInput) => promotionDigest(validatePlan(plan).plan);

describe('promotionDigest', () => {
  it('is the same for the dev and prod versions of one change (only addresses differ)', () => {
    expect(digestOf(prodPlan())).toBe(digestOf(devPlan()));
    expect(digestOf(devPlan())).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each<[string, (plan: PlanInput) => void]>([
    ['another image tag', (plan) => Object.assign(plan.deploy!, { image: 'orders:1.4.3' })],
    ['another traffic schedule', (plan) => (plan.traffic.steps = [1, 50, 100])],
    ['a shorter bake', (plan) => (plan.traffic.bake = '1m')],
    ['a looser failure threshold', (plan) => (plan.health.failureThreshold = 5)],
    ['one more probe', (plan) => plan.health.probes.push({ kind: 'alarm', alarmName: 'x' })],
    [
      'another list of tables to verify',
      (plan) => Object.assign(plan.database!, { verify: { tables: ['orders'] } }),
    ],
    ['a longer write freeze', (plan) => Object.assign(plan.database!, { maxWriteFreeze: '30s' })],
    ['no approval gate', (plan) => Object.assign(plan.database!, { approval: 'none' })],
    ['another plan name', (plan) => (plan.name = 'orders-to-rds-2')],
  ])('changes with %s', (_, change) => {
    const changed = prodPlan();
    change(changed);
    expect(digestOf(changed)).not.toBe(digestOf(devPlan()));
  });

  it('counts a default written out as the default (the validated plan is digested)', () => {
    const explicit = devPlan();
    explicit.traffic.onHealthFailure = 'rollback';
    const implicit = devPlan();
    delete implicit.traffic.onHealthFailure;
    expect(digestOf(explicit)).toBe(digestOf(implicit));
  });

  it('keeps the template object key of a cloudformation deploy, not its bucket', () => {
    const inBucket = (bucket: string, key: string): PlanInput => ({
      ...devPlan(),
      deploy: {
        kind: 'cloudformation',
        stackName: `${bucket}-stack`,
        templateUrl: `https://${bucket}.s3.eu-west-1.amazonaws.com/${key}`,
      },
    });
    expect(digestOf(inBucket('dev-artifacts', 'orders/1.4.2/green.yaml'))).toBe(
      digestOf(inBucket('prod-artifacts', 'orders/1.4.2/green.yaml')),
    );
    expect(digestOf(inBucket('prod-artifacts', 'orders/1.4.3/green.yaml'))).not.toBe(
      digestOf(inBucket('dev-artifacts', 'orders/1.4.2/green.yaml')),
    );
  });
});
