import { escapeIdentifier } from 'pg';
import { LocalWeightedRouter } from '../../adapters/local/local-weighted-router';
import { databaseEndpoint } from '../../domain/context/resolve-context';
import type { Plan } from '../../domain/plan/schema';
import { setUpLogicalReplication } from '../logical-replication';
import { startPostgresPair, type ConnectionInfo, type PostgresPair } from '../postgres-pair';
import { ORDERS_SCHEMA } from '../sample-app/schema';
import { startSampleApp, type SampleApp } from '../sample-app/start-sample-app';
import { freePorts } from '../free-ports';
import { LocalEcsService } from '../../adapters/local/local-ecs-service';
import { GreenApp, greenServiceNames } from './green-app';
import { cachedAnswer, type DnsTiming } from './dns-timing';

export const REHEARSAL_DATABASE = 'orders';
/**
 * Rows seeded on blue: the app's orders, enough that the verification before the freeze runs in many
 * chunks, and each other table the plan verifies.
 */
export const SEED_ROWS = { orders: 200_000, other: 20_000 } as const;

/** The tables of the local databases: the sample app's orders, plus any other table the plan verifies. */
export function rehearsalTables(plan: Plan): string[] {
  const verified = plan.database.kind === 'postgres-logical' ? plan.database.verify.tables : [];
  return [...new Set(['orders', ...verified])];
}

function schemaFor(tables: readonly string[]): string {
  const others = tables
    .filter((t) => t !== 'orders')
    .map((t) => `CREATE TABLE ${escapeIdentifier(t)} (id bigserial PRIMARY KEY, payload text NOT NULL)`);
  return [ORDERS_SCHEMA, ...others].join(';\n');
}

function seedFor(tables: readonly string[]): string {
  return tables
    .map((t) =>
      t === 'orders'
        ? `INSERT INTO orders (item, quantity) SELECT 'seed-' || g, 1 + g % 9 FROM generate_series(1, ${SEED_ROWS.orders}) g`
        : `INSERT INTO ${escapeIdentifier(t)} (payload) SELECT md5(g::text) FROM generate_series(1, ${SEED_ROWS.other}) g`,
    )
    .join(';\n');
}

/** The names a plan's database section gives the replication, or the rehearsal's own for app-only plans. */
export function replicationNames(plan: Plan): { publication: string; subscription: string } {
  const db = plan.database;
  if (db.kind === 'postgres-logical') return { publication: db.publication, subscription: db.subscription };
  return { publication: 'cutover_rehearsal', subscription: 'cutover_rehearsal' };
}

export interface LocalPlatform {
  readonly router: LocalWeightedRouter;
  readonly databases: { readonly blue: ConnectionInfo; readonly green: ConnectionInfo };
  readonly apps: { readonly blue: SampleApp; readonly green: GreenApp };
  /** Green's service: its deployments start (and replace) the green app. */
  readonly greenService: LocalEcsService;
  /** Stops the apps and the databases and removes their data; safe to call more than once. */
  stop(): Promise<void>;
}

export interface LocalPlatformOptions {
  readonly dns: DnsTiming;
  /**
   * When green starts: with the platform (already deployed), or when the cutover's deploy step
   * deploys it through `greenService`.
   * @default - on deploy for a plan with `deploy: ecs`, else with the platform
   */
  readonly greenStarts?: 'with-platform' | 'on-deploy';
}

/**
 * Blue and green sample services, each in a child process, on two real PostgreSQL servers: blue the
 * primary, green fed by logical replication. The apps reach their database through the plan's
 * endpoint record (or blue's, for an app-only plan), resolved through the local router. Green is a
 * one-task service whose tasks are the green app on one fixed port (its URL never changes).
 */
export async function startLocalPlatform(plan: Plan, options: LocalPlatformOptions): Promise<LocalPlatform> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const tables = rehearsalTables(plan);
    const pair: PostgresPair = await startPostgresPair();
    stoppers.push(() => pair.stop());
    const databases = await setUpLogicalReplication({
      blue: pair.blue,
      green: pair.green,
      database: REHEARSAL_DATABASE,
      ...replicationNames(plan),
      schema: schemaFor(tables),
      tables,
      seed: seedFor(tables),
    });

    const { dns } = options;
    const router = new LocalWeightedRouter({
      propagationMs: dns.recordPropagationMs,
      endpointPropagationMs: dns.endpointPropagationMs,
    });
    for (const record of plan.dns.records) router.addRecord(record);
    const endpoint = databaseEndpoint(plan);
    if (endpoint) router.addEndpoint(endpoint, endpoint.blue);
    const pointsToGreen = () =>
      endpoint !== null && router.resolveEndpoint(endpoint.hostedZoneId, endpoint.name) === endpoint.green;
    const answer = dns.resolverCaches ? cachedAnswer(pointsToGreen, dns.endpointTtlMs) : pointsToGreen;
    const resolveDatabase = async (): Promise<ConnectionInfo> =>
      answer() ? databases.green : databases.blue;
    const databaseTtlMs = dns.endpointTtlMs;

    const appProps = {
      resolveDatabase,
      databaseTtlMs,
      ...(process.env['CUTOVER_REHEARSAL_DEBUG']
        ? { onLog: (s: string, line: string) => process.stderr.write(`[${s}] ${line}\n`) }
        : {}),
    };
    const [greenPort] = await freePorts(1);
    const green = new GreenApp(greenPort!, appProps);
    const greenService = new LocalEcsService({
      ...greenServiceNames(plan),
      launch: (taskDefinition) => green.launch(taskDefinition),
    });
    stoppers.push(() => greenService.stop());
    const startsNow = (options.greenStarts ?? defaultGreenStart(plan)) === 'with-platform';
    const [blue] = await Promise.all([
      startSampleApp({ side: 'blue', ...appProps }).then((app) => {
        stoppers.push(() => app.stop());
        return app;
      }),
      startsNow ? greenService.start() : undefined,
    ]);
    return { router, databases, apps: { blue, green }, greenService, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function defaultGreenStart(plan: Plan): NonNullable<LocalPlatformOptions['greenStarts']> {
  return plan.deploy.kind === 'ecs' ? 'on-deploy' : 'with-platform';
}
