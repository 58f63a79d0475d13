import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { PENDING_INDEX } from '../adapters/aws/control-table-keys';

/**
 * One table for locks (LOCK#zone#record), execution control records (EXEC#execution) and the audit
 * log (AUDIT#plan). Task tokens live here, so it is encrypted and point-in-time recoverable.
 */
export class ControlTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: PENDING_INDEX,
          partitionKey: { name: 'pendingKind', type: AttributeType.STRING },
          sortKey: { name: 'pk', type: AttributeType.STRING },
        },
      ],
    });
  }
}
