import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { requireInteger } from './prop-checks';

export interface AccessLogBucketProps {
  /**
   * Days access logs are kept.
   * @default 90
   */
  readonly expirationDays?: number;
}

/**
 * The bucket for load balancer and S3 server access logs. Encrypted with S3-managed keys, the only
 * encryption Elastic Load Balancing can write to.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    super(scope, id);
    const expirationDays = props.expirationDays ?? 90;
    requireInteger(this.node.path, 'expirationDays', expirationDays, 1, 3650);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(expirationDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
