import type { ClientConfig } from '../../adapters/postgres/pg';
import type { DatabasePorts, ExistingDatabase, Ports } from '../../workflow/ports';
import { onceAsync } from './deferred';
import { cloudwatch } from './health';

const secrets = onceAsync(async () => {
  const [{ SecretsManagerClient }, { SecretConnectionLoader }] = await Promise.all([
    import('@aws-sdk/client-secrets-manager'),
    import('../../adapters/postgres/secret-connection.js'),
  ]);
  // TLS is verified unless the secret says otherwise (its sslmode); the RDS CA is trusted through
  // NODE_EXTRA_CA_CERTS, which the stack sets on the database steps.
  return new SecretConnectionLoader(
    new SecretsManagerClient({}),
    { connectionTimeoutMillis: 5000 },
    async (instanceId, signal) => {
      const { rdsInstanceEndpoint } = await import('../../adapters/aws/rds-instance-endpoint.js');
      return rdsInstanceEndpoint(await rds())(instanceId, signal);
    },
  );
});
const rds = onceAsync(async () => new (await import('@aws-sdk/client-rds')).RDSClient({}));

type LogicalReplication = Extract<ExistingDatabase, { kind: 'postgres-logical' }>;
type PostgresPair = Extract<ExistingDatabase, { kind: 'postgres-logical' | 'rds-read-replica' }>;

/** Blue's and green's connection settings (the subscriber, or the read replica), from their secrets. */
export async function postgresConnections(db: PostgresPair): Promise<[ClientConfig, ClientConfig]> {
  const loader = await secrets();
  const green =
    db.kind === 'postgres-logical'
      ? loader.load(db.targetSecretArn, db.targetFallback)
      : loader.load(db.replicaSecretArn, db.replicaFallback);
  return Promise.all([loader.load(db.sourceSecretArn, db.sourceFallback), green]);
}

/** The logical replication's ports, without the data verifier (see database-verifier.ts). */
export async function logicalReplicationPorts(
  db: LogicalReplication,
  [source, target]: [ClientConfig, ClientConfig],
): Promise<DatabasePorts> {
  const { PostgresReplication } = await import('../../adapters/postgres/postgres-replication.js');
  const replication = new PostgresReplication({
    source,
    target,
    subscription: db.subscription,
    publication: db.publication,
  });
  return {
    monitor: replication,
    switch: replication,
    freeze: replication,
    teardown: replication,
    verificationSlots: replication,
    close: () => replication.close(),
  };
}

/** The database side of the context, its adapters loaded on first use; connections are opened per step. */
export const database = (): Ports['database'] => databasePorts;

async function databasePorts(db: ExistingDatabase): Promise<DatabasePorts> {
  switch (db.kind) {
    case 'postgres-logical':
      return logicalReplicationPorts(db, await postgresConnections(db));
    case 'rds-read-replica': {
      const [
        { RdsReadReplica },
        { PostgresSessions },
        { PostgresWriteFreeze },
        { WalReplayLag },
        { PromotionOpeningWrites },
        connections,
      ] = await Promise.all([
        import('../../adapters/aws/rds-read-replica.js'),
        import('../../adapters/postgres/postgres-sessions.js'),
        import('../../adapters/postgres/write-freeze.js'),
        import('../../adapters/postgres/wal-replay-lag.js'),
        import('../../adapters/postgres/promotion-opening-writes.js'),
        postgresConnections(db),
      ]);
      const [source, replicaConnection] = connections;
      const sessions = new PostgresSessions(source);
      const replicaSessions = new PostgresSessions(replicaConnection);
      const replica = new RdsReadReplica(await rds(), new WalReplayLag(sessions, replicaSessions), {
        replicaInstanceId: db.replicaInstanceId,
        sourceInstanceId: db.sourceInstanceId,
      });
      return {
        monitor: replica,
        // The promoted replica replayed the source's write freeze: lifted there before the endpoint moves.
        switch: new PromotionOpeningWrites(replica, new PostgresWriteFreeze(replicaSessions)),
        catchUp: replica,
        freeze: new PostgresWriteFreeze(sessions),
        preflight: (signal) => replica.preflight(signal),
        close: async () => {
          await Promise.all([sessions.close(), replicaSessions.close()]);
        },
      };
    }
    case 'rds-blue-green': {
      const { RdsBlueGreen } = await import('../../adapters/aws/rds-blue-green.js');
      const blueGreen = new RdsBlueGreen(await rds(), await cloudwatch(), {
        blueGreenDeploymentId: db.blueGreenDeploymentId,
        switchoverTimeoutSeconds: db.switchoverTimeoutSeconds,
      });
      return { monitor: blueGreen, switch: blueGreen, close: async () => undefined };
    }
  }
}
