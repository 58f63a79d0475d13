import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { requireInteger, requireMatch } from './prop-checks';

export interface PostgresDatabaseProps {
  readonly vpc: ec2.IVpc;
  /** Subnets the instance runs in (private). */
  readonly subnets: ec2.SubnetSelection;
  /** Who may connect on the database port (the application service). */
  readonly clients: readonly ec2.IConnectable[];
  /**
   * Instance class, without the `db.` prefix.
   * @default ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO)
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * Allocated storage in GiB (gp3: 20–65536).
   * @default 20
   */
  readonly allocatedStorageGb?: number;
  /**
   * A standby in another AZ with synchronous replication and automatic failover.
   * @default false
   */
  readonly multiAz?: boolean;
  /**
   * Days automated backups are kept (1–35).
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Refuse deletion of the instance (and snapshot it if the stack is deleted anyway).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * PostgreSQL engine version.
   * @default rds.PostgresEngineVersion.VER_17
   */
  readonly engineVersion?: rds.PostgresEngineVersion;
}

/**
 * RDS PostgreSQL that can be a cutover target: storage encrypted, the master password managed by RDS
 * in Secrets Manager (rotated by RDS), TLS required, IAM authentication, and a parameter group with
 * logical replication on so it can subscribe to the self-hosted source.
 */
export class PostgresDatabase extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly parameterGroup: rds.ParameterGroup;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const path = this.node.path;
    const instanceType =
      props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO);
    requireMatch(
      path,
      'instanceType',
      instanceType.toString(),
      /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
      'a class and size such as "t4g.micro" (without "db.")',
    );
    const allocatedStorageGb = props.allocatedStorageGb ?? 20;
    requireInteger(path, 'allocatedStorageGb', allocatedStorageGb, 20, 65536);
    const backupRetentionDays = props.backupRetentionDays ?? 7;
    requireInteger(path, 'backupRetentionDays', backupRetentionDays, 1, 35);
    const deletionProtection = props.deletionProtection ?? true;
    const engine = rds.DatabaseInstanceEngine.postgres({
      version: props.engineVersion ?? rds.PostgresEngineVersion.VER_17,
    });

    this.parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'cutover target: logical replication on, TLS required',
      parameters: { 'rds.logical_replication': '1', 'rds.force_ssl': '1' },
    });
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceType,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      parameterGroup: this.parameterGroup,
      allocatedStorage: allocatedStorageGb,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      multiAz: props.multiAz ?? false,
      manageMasterUserPassword: true,
      credentials: rds.Credentials.fromUsername('postgres'),
      iamAuthentication: true,
      backupRetention: Duration.days(backupRetentionDays),
      deletionProtection,
      removalPolicy: deletionProtection ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      enablePerformanceInsights: true,
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
    });
    for (const client of props.clients) this.instance.connections.allowDefaultPortFrom(client, 'application');
  }

  /** ARN of the RDS-managed secret with the master user's password. */
  get secretArn(): string {
    return (this.instance.node.defaultChild as rds.CfnDBInstance).attrMasterUserSecretSecretArn;
  }
}
