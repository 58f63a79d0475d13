import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AppService, type AppServiceProps } from '../../../lib/platform/app-service';
import { GreenTargets } from '../../../lib/platform/green-targets';
import { PlatformNetwork } from '../../../lib/platform/network';
import { PostgresDatabase } from '../../../lib/platform/postgres-database';
import { vpcOf } from '../../../lib/platform/cdk-interfaces';

function stack(): Stack {
  return new Stack(new App(), 'Props', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function appService(overrides: Partial<AppServiceProps>): () => AppService {
  const scope = stack();
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: 'vpc-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-1', 'subnet-2'],
    publicSubnetIds: ['subnet-3', 'subnet-4'],
  });
  return () =>
    new AppService(scope, 'App', {
      vpc,
      taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      certificate: acm.Certificate.fromCertificateArn(
        scope,
        'Cert',
        'arn:aws:acm:eu-west-1:111111111111:certificate/x',
      ),
      accessLogBucket: s3.Bucket.fromBucketName(scope, 'Logs', 'logs'),
      ...overrides,
    });
}

describe('platform construct props', () => {
  it('fails when the network has fewer than two availability zones', () => {
    expect(() => new PlatformNetwork(stack(), 'Network', { availabilityZones: ['eu-west-1a'] })).toThrow(
      'Props/Network: availabilityZones is [eu-west-1a]; expected at least two different zones',
    );
  });

  it('fails when the network lists the same zone twice', () => {
    expect(
      () => new PlatformNetwork(stack(), 'Network', { availabilityZones: ['eu-west-1a', 'eu-west-1a'] }),
    ).toThrow('expected at least two different zones');
  });

  it('fails when there are more NAT gateways than zones', () => {
    expect(
      () =>
        new PlatformNetwork(stack(), 'Network', {
          availabilityZones: ['eu-west-1a', 'eu-west-1b'],
          natGateways: 3,
        }),
    ).toThrow('Props/Network: natGateways is 3; expected a whole number from 0 to 2');
  });

  it('fails when the task CPU and memory are not a Fargate size', () => {
    expect(appService({ cpu: 256, memoryMiB: 4096 })).toThrow(
      'Props/App: memoryMiB is 4096; with cpu 256 expected 512 or 1024–2048 in steps of 1024',
    );
    expect(appService({ cpu: 300 })).toThrow('Props/App: cpu is 300; expected one of 256, 512, 1024');
  });

  it('fails when the autoscaling ceiling is under the desired count', () => {
    expect(appService({ desiredCount: 4, maxCount: 2 })).toThrow(
      'Props/App: maxCount is 2; expected a whole number from 4 to 5000',
    );
  });

  it('fails when the health check path is not a path', () => {
    expect(appService({ healthCheckPath: 'healthz' })).toThrow(
      'Props/App: healthCheckPath is "healthz"; expected a path starting with /',
    );
  });

  it('fails when the database storage is under the gp3 minimum', () => {
    const scope = stack();
    const network = new PlatformNetwork(scope, 'Network', {
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    });
    expect(
      () =>
        new PostgresDatabase(scope, 'Database', {
          vpc: vpcOf(network.vpc),
          subnets: network.privateSubnets,
          clients: [],
          allocatedStorageGb: 5,
        }),
    ).toThrow('Props/Database: allocatedStorageGb is 5; expected a whole number from 20 to 65536');
  });

  it('fails when an alarm prefix has characters alarm names cannot hold', () => {
    const scope = stack();
    expect(
      () =>
        new GreenTargets(scope, 'Green', {
          loadBalancer: {} as never,
          targetGroup: {} as never,
          database: {} as never,
          databaseSecretArn: 'arn',
          alarmPrefix: 'green alarms',
        }),
    ).toThrow('Props/Green: alarmPrefix is "green alarms"; expected letters, digits, "_", "." or "-"');
  });
});
