import { lockKeys, resolveExecutionContext } from '../../domain/context/resolve-context';
import { validatePlan } from '../../domain/plan/validate';
import { contextOf, examplePlan } from '../support/plans';

describe('resolveExecutionContext', () => {
  it('resolves every duration of a plan into seconds', () => {
    const context = contextOf(examplePlan('app-postgres-logical.yaml'));
    expect(context.version).toBe(1);
    expect(context.health.intervalSeconds).toBeGreaterThan(0);
    expect(context.keepBlueSeconds).toBeGreaterThan(0);
    expect(context.database).toMatchObject({ kind: 'postgres-logical' });
    expect(JSON.stringify(context)).not.toMatch(/"\d+(ms|s|m|h|d)"/);
  });

  it('groups weighted pairs by hosted zone, in the order the plan lists them', () => {
    const plan = examplePlan('app-canary.yaml');
    const [first] = plan.dns.records;
    plan.dns.records = [
      first!,
      { ...first!, hostedZoneId: 'Z0OTHERZONE', name: 'b.example.com' },
      { ...first!, name: 'c.example.com' },
    ];
    const context = contextOf(plan);
    expect(context.zones.map((z) => [z.hostedZoneId, z.pairs.map((p) => p.name)])).toEqual([
      [first!.hostedZoneId, [first!.name, 'c.example.com']],
      ['Z0OTHERZONE', ['b.example.com']],
    ]);
  });

  it('locks the weighted records and the database endpoint', () => {
    const plan = validatePlan(examplePlan('app-postgres-logical.yaml')).plan;
    const context = resolveExecutionContext(plan, 'exec-1');
    const endpoint = plan.database.kind === 'postgres-logical' ? plan.database.endpoint : undefined;
    expect(context.endpoint).toEqual(endpoint);
    expect(context.lockKeys).toEqual(lockKeys(plan));
    const source = plan.database.kind === 'postgres-logical' ? plan.database.source.secretArn : '';
    const target = plan.database.kind === 'postgres-logical' ? plan.database.target.secretArn : '';
    expect(context.lockKeys.slice(-3)).toEqual([
      { hostedZoneId: endpoint?.hostedZoneId, recordName: endpoint?.name },
      { hostedZoneId: 'database', recordName: `postgres:${source}` },
      { hostedZoneId: 'database', recordName: `postgres:${target}` },
    ]);
  });

  it('locks the databases a plan switches by their AWS identities', () => {
    expect(contextOf(examplePlan('app-rds-blue-green.yaml')).lockKeys.at(-1)).toEqual({
      hostedZoneId: 'database',
      recordName: expect.stringMatching(/^rds-blue-green:bgd-[a-z0-9]+$/),
    });
  });

  it('has no endpoint when the database repoints none', () => {
    expect(contextOf(examplePlan('app-rds-blue-green.yaml')).endpoint).toBeNull();
    expect(contextOf(examplePlan('app-canary.yaml')).endpoint).toBeNull();
  });

  it("tells a connection whose secret does not say where (RDS-managed) the endpoint's side and the plan's dbname", () => {
    const plan = examplePlan('app-postgres-logical.yaml');
    if (plan.database?.kind !== 'postgres-logical') throw new Error('example changed');
    plan.database.target = { ...plan.database.target, dbname: 'orders' };
    const { database } = contextOf(plan);
    expect(database).toMatchObject({
      sourceFallback: { host: plan.database.endpoint.blue },
      targetFallback: { host: plan.database.endpoint.green, database: 'orders' },
    });
    expect(database).not.toHaveProperty('sourceFallback.database');
  });

  it('tells the read-replica source and replica to connect to their instances when their secrets have no host', () => {
    const plan = examplePlan('app-postgres-logical.yaml');
    if (plan.database?.kind !== 'postgres-logical') throw new Error('example changed');
    const { source, endpoint, maxWriteFreeze } = plan.database;
    plan.database = {
      kind: 'rds-read-replica',
      source,
      sourceInstanceId: 'orders',
      replicaInstanceId: 'orders-replica',
      endpoint,
      replica: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:replica-AbCdEf' },
      maxLagBytes: 1_048_576,
      maxWriteFreeze,
    };
    expect(contextOf(plan).database).toMatchObject({
      sourceFallback: { instanceId: 'orders' },
      replicaSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:replica-AbCdEf',
      replicaFallback: { instanceId: 'orders-replica' },
    });
  });

  it('survives a JSON round trip unchanged (it travels through the state machine)', () => {
    const context = contextOf(examplePlan('app-postgres-logical.yaml'));
    expect(JSON.parse(JSON.stringify(context))).toEqual(context);
  });
});
