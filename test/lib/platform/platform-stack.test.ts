import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PlatformStage } from '../../../lib/platform/platform-stage';
import { devEnvironment } from './platform-fixtures';

// One synth for the file: every construct of the platform, in one dev stage (the trail's region).
const stage = new PlatformStage(new App(), 'dev-eu-west-1', {
  environment: devEnvironment(),
  regionIndex: 0,
});
const template = Template.fromStack(stage.stack);

describe('PlatformNetwork', () => {
  it('spreads public and private subnets over the two configured AZs, with flow logs', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    for (const zone of ['eu-west-1a', 'eu-west-1b']) {
      template.hasResourceProperties('AWS::EC2::Subnet', {
        AvailabilityZone: zone,
        MapPublicIpOnLaunch: false,
      });
      template.hasResourceProperties('AWS::EC2::Subnet', {
        AvailabilityZone: zone,
        MapPublicIpOnLaunch: true,
      });
    }
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', ResourceType: 'VPC' });
  });

  it('gives the private subnets endpoints for S3, ECR, logs, metrics and Secrets Manager, open to the VPC only', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['.s3'])] }),
    });
    for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'monitoring']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        PrivateDnsEnabled: true,
      });
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'VPC interface endpoints: HTTPS from inside the VPC',
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 443, ToPort: 443 })],
    });
  });
});

describe('AppService', () => {
  it('runs the image on Fargate in private subnets, rolling back a failed deployment', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'app',
          Image: 'public.ecr.aws/nginx/nginx:1.27',
          PortMappings: [Match.objectLike({ ContainerPort: 8080 })],
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 1,
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
      }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  it('puts it behind an HTTPS load balancer with a health check, HTTP redirected, access logged', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: devEnvironment().regions[0]!.certificateArn }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443' }) }),
      ],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/healthz',
      Matcher: { HttpCode: '200' },
      TargetType: 'ip',
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.enabled', Value: 'true' }]),
    });
  });

  it('scales between the desired and the maximum count on CPU and on requests per target', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 1,
      MaxCapacity: 2,
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 60,
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
        TargetValue: 1000,
      }),
    });
  });
});

describe('PostgresDatabase', () => {
  it('is encrypted PostgreSQL with an RDS-managed secret, TLS and IAM auth, private', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      DBInstanceClass: 'db.t4g.micro',
      AllocatedStorage: '20',
      StorageEncrypted: true,
      MultiAZ: false,
      ManageMasterUserPassword: true,
      EnableIAMDatabaseAuthentication: true,
      PubliclyAccessible: false,
      DeletionProtection: true,
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('turns logical replication on in its parameter group, so it can be a cutover target', () => {
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres17',
      Parameters: { 'rds.logical_replication': '1', 'rds.force_ssl': '1' },
    });
  });

  it('is reachable only from the service', () => {
    const { stack } = stage;
    const [serviceGroup] = stack.app.service.connections.securityGroups;
    const [databaseGroup] = stack.database.instance.connections.securityGroups;
    const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: stack.resolve(databaseGroup!.securityGroupId) },
    });
    expect(Object.values(ingress).map((r) => (r as { Properties: unknown }).Properties)).toEqual([
      expect.objectContaining({ SourceSecurityGroupId: stack.resolve(serviceGroup!.securityGroupId) }),
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Security group for Instance database',
      SecurityGroupIngress: Match.absent(),
    });
  });
});

describe('GreenTargets', () => {
  it('creates alarms a plan can name as probes', () => {
    for (const name of ['errors', 'latency', 'unhealthytargets']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `cutover-dev-green-${name}` });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'cutover-dev-green-latency',
      ExtendedStatistic: 'p99',
      Threshold: 1,
    });
  });

  it('outputs the alias target, the database endpoint and secret for the plan', () => {
    const outputs = template.findOutputs('*');
    const described = Object.fromEntries(
      Object.entries(outputs).map(([name, o]) => [name, (o as { Description: string }).Description]),
    );
    expect(described).toMatchObject({
      GreenAliasDnsName: 'green.alias.dnsName of the plan’s weighted records',
      GreenAliasHostedZoneId: 'green.alias.hostedZoneId of the plan’s weighted records',
      GreenDatabaseEndpoint: 'database.endpoint.green of the plan',
      GreenDatabaseSecretArn: 'database.target.secretArn of the plan',
    });
  });

  it('does not create the weighted records (the cutover owns their weights)', () => {
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });
});

describe('AuditTrail', () => {
  it('records every region with log file validation into a KMS-encrypted bucket', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: Match.anyValue(),
      CloudWatchLogsLogGroupArn: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});
