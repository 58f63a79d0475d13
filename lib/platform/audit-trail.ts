import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { serviceKey } from '../service-key';
import { bucketOf } from './cdk-interfaces';

export interface AuditTrailProps {
  /** Bucket receiving the trail bucket's S3 server access logs. */
  readonly accessLogBucket: s3.IBucket;
  /**
   * How long the trail's CloudWatch Logs copy is kept (the S3 copy is kept until deleted).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One CloudTrail trail for every API call in every region of the account: log file validation on,
 * written to a KMS-encrypted, versioned bucket that refuses plain HTTP, and copied to CloudWatch Logs.
 * Create it once per account (a multi-region trail already sees the other regions).
 */
export class AuditTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    this.key = serviceKey(this, {
      description: 'cutover platform: CloudTrail log files',
      sid: 'CloudTrailEncryptsLogFiles',
      service: 'cloudtrail.amazonaws.com',
      actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
      conditions: {
        StringLike: {
          'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${Aws.ACCOUNT_ID}:trail/*`,
        },
      },
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'cloudtrail-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: bucketOf(this.bucket),
      encryptionKey: this.key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogsRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });
  }
}
