import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { AccessTarget } from '../workflow/access';
import { STEP_NAMES, STEPS, type StepName } from '../workflow/registry';
import type { DatabaseVpcConfig } from './database-vpc-config';

/** The steps that open database connections: those that declare access to the database secrets. */
export const DATABASE_STEPS: readonly StepName[] = STEP_NAMES.filter((step) =>
  STEPS[step].access.some((access) => access.target === 'database-secrets'),
);

/**
 * The environment of a function that connects to a database. Since Node.js 20 the Lambda runtime no
 * longer trusts the Amazon CA certificates (RDS's among them) unless told to load its bundle.
 */
export const DATABASE_STEP_ENVIRONMENT = { NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' } as const;

type Endpoint =
  | { readonly kind: 'interface'; readonly service: ec2.InterfaceVpcEndpointAwsService }
  | { readonly kind: 'gateway'; readonly service: ec2.GatewayVpcEndpointAwsService };

const Interface = ec2.InterfaceVpcEndpointAwsService;
const onInterface = (service: ec2.InterfaceVpcEndpointAwsService): Endpoint => ({
  kind: 'interface',
  service,
});
const dynamodb: Endpoint = { kind: 'gateway', service: ec2.GatewayVpcEndpointAwsService.DYNAMODB };
const rds = onInterface(Interface.RDS);

/**
 * The VPC endpoint of the AWS API behind each access target. null: no endpoint is needed (iam:PassRole
 * is no call) or none exists (Route 53's API has no VPC endpoint: it is reached through a NAT).
 */
const ENDPOINT_OF: Record<AccessTarget, Endpoint | null> = {
  'control-table': dynamodb,
  'pending-index': dynamodb,
  'events-topic': onInterface(Interface.SNS),
  'state-machine': onInterface(Interface.STEP_FUNCTIONS),
  'watcher-schedule': onInterface(Interface.EVENTBRIDGE),
  // EventBridge Scheduler's endpoint (com.amazonaws.<region>.scheduler); aws-cdk-lib names no constant.
  'finalize-schedules': onInterface(new Interface('scheduler')),
  'finalize-scheduler-role': null,
  'hosted-zones': null,
  'allowed-records': null,
  'dns-changes': null,
  'health-checks': null,
  alarms: onInterface(Interface.CLOUDWATCH_MONITORING),
  metrics: onInterface(Interface.CLOUDWATCH_MONITORING),
  'database-secrets': onInterface(Interface.SECRETS_MANAGER),
  'rds-deployments': rds,
  'rds-instances': rds,
  'rds-blue-green-members': rds,
  'deploy-stacks': onInterface(Interface.CLOUDFORMATION),
  'stack-transforms': onInterface(Interface.CLOUDFORMATION),
  'cloudformation-role': null,
  'deploy-services': onInterface(Interface.ECS),
  'task-definitions': onInterface(Interface.ECS),
  'new-task-definitions': onInterface(Interface.ECS),
  'ecs-task-roles': null,
  'ssm-fleet': onInterface(Interface.SSM),
  'runbook-documents': onInterface(Interface.SSM),
  'runbook-instances': onInterface(Interface.SSM),
  'runbook-ecs': onInterface(Interface.ECS),
};

/** The endpoints the given steps need: one per API their declared access calls, plus X-Ray (active tracing). */
export function endpointsFor(steps: readonly StepName[]): Endpoint[] {
  const needed = [
    ...steps.flatMap((step) => STEPS[step].access.map((access) => ENDPOINT_OF[access.target])),
    onInterface(Interface.XRAY),
  ];
  const byName = new Map<string, Endpoint>();
  for (const endpoint of needed) {
    if (endpoint) byName.set(shortName(endpoint), endpoint);
  }
  return [...byName.values()];
}

function shortName(endpoint: Endpoint): string {
  return endpoint.kind === 'interface' ? endpoint.service.shortName : 'dynamodb';
}

export interface DatabaseNetworkProps {
  readonly config: DatabaseVpcConfig;
  /** The steps that run in the VPC; their declared access decides the endpoints. */
  readonly steps: readonly StepName[];
}

/**
 * The network of the database steps: the configured VPC, subnets and security group (imported by id, so
 * synth needs no lookup), and, when asked for, the VPC endpoints of the AWS APIs those steps call.
 */
export class DatabaseNetwork extends Construct {
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  /** The short names of the APIs reached through an endpoint created here ([] without endpoints). */
  readonly endpointServices: readonly string[];

  constructor(scope: Construct, id: string, props: DatabaseNetworkProps) {
    super(scope, id);
    const { config } = props;
    const routeTableIds = config.subnets.flatMap((subnet) => subnet.routeTableId ?? []);
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: config.vpcId,
      availabilityZones: config.subnets.map((subnet) => subnet.availabilityZone),
      privateSubnetIds: config.subnets.map((subnet) => subnet.subnetId),
      ...(routeTableIds.length === config.subnets.length
        ? { privateSubnetRouteTableIds: routeTableIds }
        : {}),
    });
    // Not mutable: the user owns its rules (outbound 443 and the database port).
    this.securityGroup = ec2.SecurityGroup.fromSecurityGroupId(
      this,
      'StepSecurityGroup',
      config.securityGroupId,
      {
        mutable: false,
      },
    );
    const endpoints = config.endpoints ? endpointsFor(props.steps) : [];
    this.endpointServices = endpoints.map(shortName);
    if (endpoints.length > 0) this.addEndpoints(endpoints, config.securityGroupId);
  }

  /** What a function needs to run in this network. */
  get functionProps(): {
    vpc: ec2.IVpc;
    vpcSubnets: ec2.SubnetSelection;
    securityGroups: ec2.ISecurityGroup[];
  } {
    return {
      vpc: this.vpc,
      vpcSubnets: { subnets: this.vpc.privateSubnets },
      securityGroups: [this.securityGroup],
    };
  }

  /**
   * What Lambda does with a function's own role to attach it to the VPC (the actions of the AWS-managed
   * AWSLambdaVPCAccessExecutionRole), with network interfaces created only in these subnets and group.
   */
  grantNetworkInterfaces(role: iam.IRole): void {
    const stack = Stack.of(this);
    const ec2Arn = (resource: string, name: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName: name });
    const networkInterfaces = ec2Arn('network-interface', '*');
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // Describe actions have no resource-level permissions.
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
        resources: ['*'],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          networkInterfaces,
          ...this.vpc.privateSubnets.map((subnet) => ec2Arn('subnet', subnet.subnetId)),
          ec2Arn('security-group', this.securityGroup.securityGroupId),
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: [networkInterfaces],
      }),
    );
  }

  private addEndpoints(endpoints: readonly Endpoint[], stepSecurityGroupId: string): void {
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'cutover: VPC endpoints of the database steps (HTTPS from their security group)',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(
      ec2.Peer.securityGroupId(stepSecurityGroupId),
      ec2.Port.tcp(443),
      'HTTPS from the database steps',
    );
    const subnets = { subnets: this.vpc.privateSubnets };
    for (const endpoint of endpoints) {
      const name = shortName(endpoint);
      if (endpoint.kind === 'gateway') {
        new ec2.GatewayVpcEndpoint(this, `Endpoint-${name}`, {
          vpc: this.vpc,
          service: endpoint.service,
          subnets: [subnets],
        });
      } else {
        new ec2.InterfaceVpcEndpoint(this, `Endpoint-${name}`, {
          vpc: this.vpc,
          service: endpoint.service,
          subnets,
          securityGroups: [endpointSecurityGroup],
          privateDnsEnabled: true,
          // Only the steps' security group may connect (the rule above), not the whole VPC.
          open: false,
        });
      }
    }
  }
}
