import { escapeIdentifier } from 'pg';
import { runSql } from '../local/run-sql';
import { setTimeout as sleep } from 'node:timers/promises';
import { scalePlanTime } from '../domain/plan/time-scale';
import { groupByZone } from '../domain/context/execution-context';
import { databaseEndpoint } from '../domain/context/resolve-context';
import type { Plan } from '../domain/plan/schema';
import type { LoadResult } from '../local/load/load-types';
import { startLoadWorker } from '../local/load/start-load-worker';
import { scaledDnsTiming } from '../local/rehearsal/dns-timing';
import { replicationNames, startLocalPlatform } from '../local/rehearsal/local-platform';

export interface BigBangResult {
  readonly load: LoadResult;
  /** From the first failed request to the last one. */
  readonly downtimeMs: number;
}

/**
 * The case study's "before": the same platform and load, cut over the naive way — stop blue, send all
 * traffic to green at once, repoint the database without freezing writes or waiting for replication.
 */
export async function naiveBigBang(input: {
  plan: Plan;
  timeScale: number;
  ratePerSecond: number;
}): Promise<BigBangResult> {
  const plan = scalePlanTime(input.plan, input.timeScale);
  // Green is already running: the naive cutover deploys nothing first.
  const platform = await startLocalPlatform(plan, {
    dns: scaledDnsTiming(plan, input.timeScale),
    greenStarts: 'with-platform',
  });
  try {
    const record = plan.dns.records[0]!;
    const load = await startLoadWorker({
      clients: 64,
      ttlMs: record.ttl * 1000,
      load: {
        ratePerSecond: input.ratePerSecond,
        writeRatio: 0.3,
        targets: { blue: platform.apps.blue.url, green: platform.apps.green.url },
        maxDurationMs: 120_000,
        timeoutMs: 2000,
        bucketMs: 250,
      },
    });
    try {
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          load.setGreenPercent(platform.router.served(record.hostedZoneId, record.name)?.green ?? 0);
          await sleep(50);
        }
      })();
      await sleep(4000);
      await platform.apps.blue.stop();
      await platform.router.setWeights(groupByZone(plan.dns.records), { blue: 0, green: 100 });
      const endpoint = databaseEndpoint(plan);
      if (endpoint) {
        await runSql(
          platform.databases.green,
          `ALTER SUBSCRIPTION ${escapeIdentifier(replicationNames(plan).subscription)} DISABLE`,
        );
        await platform.router.pointEndpoint(endpoint, endpoint.green);
      }
      await sleep(record.ttl * 1000 + 4000);
      load.stop();
      const result = await load.result;
      sampling = false;
      await sampler;
      const failing = result.series.filter((bucket) => bucket.failed > 0);
      const downtimeMs = failing.length === 0 ? 0 : failing.at(-1)!.atMs + 250 - failing[0]!.atMs;
      return { load: result, downtimeMs };
    } finally {
      await load.close();
    }
  } finally {
    await platform.stop();
  }
}
