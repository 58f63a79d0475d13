import { LocalWeightedRouter } from '../../adapters/local/local-weighted-router';
import { groupByZone, type WeightedPair } from '../../domain/context/execution-context';

const record = (name: string, zone = 'Z0A'): WeightedPair => ({
  hostedZoneId: zone,
  name,
  type: 'A',
  ttl: 60,
  blue: { setIdentifier: 'blue', values: ['192.0.2.1'] },
  green: { setIdentifier: 'green', values: ['192.0.2.2'] },
});

describe('LocalWeightedRouter', () => {
  it('serves a change only once it has propagated, and reports INSYNC then', async () => {
    let now = 0;
    const router = new LocalWeightedRouter({ propagationMs: 100, now: () => now });
    router.addRecord(record('app.example.com'));
    const tickets = await router.setWeights(groupByZone([record('app.example.com')]), {
      blue: 90,
      green: 10,
    });
    expect(await router.isInSync(tickets)).toBe(false);
    expect(router.served('Z0A', 'app.example.com')).toEqual({ blue: 100, green: 0 });
    now = 100;
    expect(await router.isInSync(tickets)).toBe(true);
    expect(await router.readWeights(record('app.example.com'))).toEqual({ blue: 90, green: 10 });
  });

  it('makes one change per hosted zone, whatever the number of records', async () => {
    const router = new LocalWeightedRouter();
    const records = [record('a.example.com'), record('b.example.com'), record('c.example.com', 'Z0B')];
    records.forEach((r) => router.addRecord(r));
    const tickets = await router.setWeights(groupByZone(records), { blue: 50, green: 50 });
    expect(tickets.map((t) => t.hostedZoneId)).toEqual(['Z0A', 'Z0B']);
  });

  it('fails to read a record pair that does not exist', async () => {
    await expect(new LocalWeightedRouter().readWeights(record('missing.example.com'))).rejects.toThrow(
      'no weighted records missing.example.com in zone Z0A',
    );
  });

  it('repoints an endpoint record', async () => {
    const router = new LocalWeightedRouter();
    const endpoint = { hostedZoneId: 'Z0P', name: 'db.internal', ttl: 5 };
    router.addEndpoint(endpoint, 'pg-blue');
    await router.pointEndpoint(endpoint, 'pg-green');
    expect(router.resolveEndpoint('Z0P', 'db.internal')).toBe('pg-green');
  });

  it('propagates endpoint changes in their own time, without holding weight changes back', async () => {
    let now = 0;
    const router = new LocalWeightedRouter({
      propagationMs: 100,
      endpointPropagationMs: 60_000,
      now: () => now,
    });
    const endpoint = { hostedZoneId: 'Z0P', name: 'db.internal', ttl: 5 };
    router.addEndpoint(endpoint, 'pg-blue');
    router.addRecord(record('app.example.com'));
    const switched = await router.pointEndpoint(endpoint, 'pg-green');
    const shifted = await router.setWeights(groupByZone([record('app.example.com')]), {
      blue: 0,
      green: 100,
    });
    now = 100;
    expect(await router.isInSync(shifted)).toBe(true);
    expect(await router.isInSync([switched])).toBe(false);
    expect(router.resolveEndpoint('Z0P', 'db.internal')).toBe('pg-blue');
    now = 60_000;
    expect(await router.isInSync([switched])).toBe(true);
    expect(router.resolveEndpoint('Z0P', 'db.internal')).toBe('pg-green');
  });
});
