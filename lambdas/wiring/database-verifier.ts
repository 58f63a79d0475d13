import type { DatabasePorts, ExistingDatabase, Ports } from '../../workflow/ports';
import { postgresConnections } from './database';

/**
 * The database ports of the steps that compare data (and sync sequences): the data verifier, nothing
 * else, so their bundles carry neither the replication's other adapters
 * nor the RDS ones. These steps watch no lag and switch nothing: those ports refuse, by name.
 */
export const databaseWithVerifier = (): Ports['database'] => async (db) => {
  const refused: Pick<DatabasePorts, 'monitor' | 'switch'> = {
    monitor: notWired('monitor', db),
    switch: notWired('switch', db),
  };
  if (db.kind !== 'postgres-logical') return { ...refused, close: async () => undefined };
  const [[source, target], { PostgresDataVerifier }] = await Promise.all([
    postgresConnections(db),
    import('../../adapters/postgres/data-verifier.js'),
  ]);
  const verifier = new PostgresDataVerifier({
    source,
    target,
    publication: db.publication,
    subscription: db.subscription,
  });
  return { ...refused, verifier, close: () => verifier.close() };
};

function notWired<T extends object>(port: string, db: ExistingDatabase): T {
  return new Proxy({} as T, {
    get: (_, method) =>
      method === 'then'
        ? undefined
        : async () => {
            throw new Error(`the verification steps do not wire the ${port} port (${db.kind})`);
          },
  });
}
