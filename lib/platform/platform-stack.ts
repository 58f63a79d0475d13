import { Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { AppService } from './app-service';
import { AuditTrail } from './audit-trail';
import { bucketOf, vpcOf } from './cdk-interfaces';
import type { PlatformSettings, RegionSettings } from './environments';
import { GreenTargets } from './green-targets';
import { PlatformNetwork } from './network';
import { acknowledgePlatformFindings } from './platform-findings';
import { PostgresDatabase } from './postgres-database';

export interface PlatformStackProps extends StackProps {
  readonly environmentName: string;
  readonly settings: PlatformSettings;
  readonly region: RegionSettings;
  /**
   * Create the account's multi-region CloudTrail trail here (do it in one region per account).
   * @default false
   */
  readonly auditTrail?: boolean;
}

/** The green side of one environment in one region: network, application service, database, targets, audit. */
export class PlatformStack extends Stack {
  readonly network: PlatformNetwork;
  readonly app: AppService;
  readonly database: PostgresDatabase;
  readonly greenTargets: GreenTargets;
  readonly auditTrail?: AuditTrail;
  readonly environmentName: string;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.environmentName = props.environmentName;
    const logRetention = settings.logRetentionDays as logs.RetentionDays;
    const accessLogs = new AccessLogBucket(this, 'AccessLogs');
    this.network = new PlatformNetwork(this, 'Network', {
      availabilityZones: props.region.availabilityZones,
      flowLogRetention: logRetention,
      ...(settings.natGateways === undefined ? {} : { natGateways: settings.natGateways }),
    });
    this.app = new AppService(this, 'App', {
      vpc: vpcOf(this.network.vpc),
      taskSubnets: this.network.privateSubnets,
      image: ecs.ContainerImage.fromRegistry(settings.image),
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.region.certificateArn),
      accessLogBucket: bucketOf(accessLogs.bucket),
      logRetention,
      ...pick(settings, ['containerPort', 'healthCheckPath', 'cpu', 'memoryMiB', 'desiredCount', 'maxCount']),
    });
    const { database } = settings;
    this.database = new PostgresDatabase(this, 'Database', {
      vpc: vpcOf(this.network.vpc),
      subnets: this.network.privateSubnets,
      clients: [this.app.service],
      instanceType: new ec2.InstanceType(database.instanceClass.replace(/^db\./, '')),
      allocatedStorageGb: database.allocatedStorageGb,
      multiAz: database.multiAz,
      ...pick(database, ['backupRetentionDays', 'deletionProtection']),
    });
    this.greenTargets = new GreenTargets(this, 'Green', {
      loadBalancer: this.app.loadBalancer,
      targetGroup: this.app.targetGroup,
      database: this.database.instance,
      databaseSecretArn: this.database.secretArn,
      alarmPrefix: `cutover-${props.environmentName}-green`,
    });
    if (props.auditTrail) {
      this.auditTrail = new AuditTrail(this, 'Audit', {
        accessLogBucket: bucketOf(accessLogs.bucket),
        logRetention,
      });
    }
    acknowledgePlatformFindings(this, accessLogs, settings);
  }
}

/** The keys of `source` that are set (exactOptionalPropertyTypes forbids passing `undefined` on). */
function pick<T extends object, K extends keyof T>(
  source: T,
  keys: readonly K[],
): { [P in K]?: Exclude<T[P], undefined> } {
  return Object.fromEntries(
    keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]),
  ) as {
    [P in K]?: Exclude<T[P], undefined>;
  };
}
