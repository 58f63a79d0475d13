import { PostgresDataVerifier } from '../../adapters/postgres/data-verifier';
import { PostgresReplication } from '../../adapters/postgres/postgres-replication';
import { setUpLogicalReplication, type ReplicatedDatabase } from '../../local/logical-replication';
import { startPostgresPair, type PostgresPair } from '../../local/postgres-pair';

export interface ReplicatedPostgres {
  readonly pair: PostgresPair;
  readonly db: ReplicatedDatabase;
  readonly replication: PostgresReplication;
  readonly verifier: PostgresDataVerifier;
}

/**
 * Two real PostgreSQL servers with `database` replicated blue → green (publication and subscription
 * both named `cutover_<database>`), and the replication and verifier adapters on them. Call `stop`
 * from `afterAll`.
 */
export async function startReplicatedPostgres(props: {
  readonly database: string;
  readonly schema: string;
  readonly seed: string;
  readonly tables: readonly string[];
}): Promise<ReplicatedPostgres> {
  const name = `cutover_${props.database}`;
  const pair = await startPostgresPair();
  let db: ReplicatedDatabase;
  try {
    db = await setUpLogicalReplication({
      blue: pair.blue,
      green: pair.green,
      database: props.database,
      publication: name,
      subscription: name,
      schema: props.schema,
      seed: props.seed,
      tables: props.tables,
    });
  } catch (error) {
    await pair.stop();
    throw error;
  }
  const { replication, verifier } = replicationAdapters(db, name);
  return { pair, db, replication, verifier };
}

/**
 * New replication and verifier adapters on `db` (their own connections), publication and subscription
 * both named `name`, as each step opens them on AWS.
 */
export function replicationAdapters(
  db: ReplicatedDatabase,
  name: string,
): { replication: PostgresReplication; verifier: PostgresDataVerifier } {
  return {
    replication: new PostgresReplication({
      source: db.blue,
      target: db.green,
      subscription: name,
      publication: name,
    }),
    verifier: new PostgresDataVerifier({
      source: db.blue,
      target: db.green,
      publication: name,
      subscription: name,
    }),
  };
}

/** Closes the adapters and stops both servers (nothing when `startReplicatedPostgres` failed: it stopped them). */
export async function stopReplicatedPostgres(fixture: ReplicatedPostgres | undefined): Promise<void> {
  await fixture?.replication.close();
  await fixture?.verifier.close();
  await fixture?.pair.stop();
}
