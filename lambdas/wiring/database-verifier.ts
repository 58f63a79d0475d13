import type { Ports } from '../../workflow/ports';
import { database, logicalReplicationPorts, postgresConnections } from './database';

/**
 * The database ports with the data verifier, for the steps that compare data (and sync sequences):
 * the others' bundles do not carry its code.
 */
export const databaseWithVerifier = (): Ports['database'] => async (db) => {
  if (db.kind !== 'postgres-logical') return database()(db);
  const [connections, { PostgresDataVerifier }] = await Promise.all([
    postgresConnections(db),
    import('../../adapters/postgres/data-verifier.js'),
  ]);
  const ports = await logicalReplicationPorts(db, connections);
  const [source, target] = connections;
  const verifier = new PostgresDataVerifier({
    source,
    target,
    publication: db.publication,
    subscription: db.subscription,
  });
  return {
    ...ports,
    verifier,
    close: async () => {
      await Promise.all([ports.close(), verifier.close()]);
    },
  };
};
