import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { vpcOf } from './cdk-interfaces';
import { requireInteger, requireMatch } from './prop-checks';

export interface PlatformNetworkProps {
  /**
   * The availability zones to spread over, named explicitly so synth needs no account lookup.
   * At least two, in the stack's region.
   */
  readonly availabilityZones: readonly string[];
  /**
   * IPv4 range of the VPC.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * NAT gateways for outbound internet access from the private subnets (e.g. to pull images from a
   * public registry). With 0, the private subnets are isolated and reach AWS only through the VPC endpoints.
   * @default 1
   */
  readonly natGateways?: number;
  /**
   * How long the VPC flow logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/** Interface endpoints a Fargate service with a managed database secret needs without NAT. */
const INTERFACE_ENDPOINTS = {
  EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
} as const;

/** A VPC over two or more AZs: public subnets for the load balancer, private ones for tasks and the database. */
export class PlatformNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  /** The subnets tasks and the database run in. */
  readonly privateSubnets: ec2.SubnetSelection;

  constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    const path = this.node.path;
    if (
      props.availabilityZones.length < 2 ||
      new Set(props.availabilityZones).size !== props.availabilityZones.length
    ) {
      throw new Error(
        `${path}: availabilityZones is [${props.availabilityZones.join(', ')}]; expected at least two different zones`,
      );
    }
    const cidr = props.cidr ?? '10.0.0.0/16';
    requireMatch(
      path,
      'cidr',
      cidr,
      /^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/,
      'an IPv4 CIDR from /16 to /24',
    );
    const natGateways = props.natGateways ?? 1;
    requireInteger(path, 'natGateways', natGateways, 0, props.availabilityZones.length);
    const privateType =
      natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      availabilityZones: [...props.availabilityZones],
      natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: privateType, cidrMask: 22 },
      ],
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', {
              retention: props.flowLogRetention ?? logs.RetentionDays.THREE_MONTHS,
            }),
          ),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    this.privateSubnets = { subnetType: privateType };
    this.vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.privateSubnets],
    });
    // HTTPS from the VPC's own range only, written as the literal range so the rule is reviewable.
    const endpoints = new ec2.SecurityGroup(this, 'Endpoints', {
      vpc: vpcOf(this.vpc),
      description: 'VPC interface endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    endpoints.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      this.vpc.addInterfaceEndpoint(name, {
        service,
        subnets: this.privateSubnets,
        privateDnsEnabled: true,
        securityGroups: [endpoints],
        open: false,
      });
    }
  }
}
