import { DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { InstanceEndpointOf } from '../postgres/secret-connection';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

/** The address and port of an RDS DB instance, for a secret that holds only a username and password. */
export function rdsInstanceEndpoint(rds: RDSClient): InstanceEndpointOf {
  return async (instanceId, signal) => {
    const { DBInstances = [] } = await rds
      .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }), withSignal(signal))
      .catch(rethrowAwsError);
    const instance = DBInstances[0];
    if (!instance) throw new Error(`DB instance ${instanceId} not found`);
    const { Address, Port } = instance.Endpoint ?? {};
    if (!Address) {
      throw new Error(
        `DB instance ${instanceId} has no endpoint yet (status ${instance.DBInstanceStatus ?? 'unknown'})`,
      );
    }
    return { host: Address, ...(Port === undefined ? {} : { port: Port }) };
  };
}
