import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DATABASE_STEPS, endpointsFor } from '../../lib/database-network';
import type { DatabaseVpcConfig } from '../../lib/database-vpc-config';
import { OrchestratorStack } from '../../lib/orchestrator-stack';
import type { OrchestratorConfig } from '../../lib/orchestrator-config';
import { STEP_NAMES } from '../../workflow/registry';
import { nagFindings } from '../support/nag-findings';
import { stepRoleStatements } from '../support/step-role-statements';

const SUBNETS = [
  {
    subnetId: 'subnet-0aaaaaaaaaaaaaaa1',
    availabilityZone: 'eu-west-1a',
    routeTableId: 'rtb-0aaaaaaaaaaaaaaa1',
  },
  {
    subnetId: 'subnet-0bbbbbbbbbbbbbbb2',
    availabilityZone: 'eu-west-1b',
    routeTableId: 'rtb-0bbbbbbbbbbbbbbb2',
  },
];
const STEP_SG = 'sg-0ccccccccccccccc3';
const VPC: DatabaseVpcConfig = {
  vpcId: 'vpc-0ddddddddddddddd4',
  subnets: SUBNETS,
  securityGroupId: STEP_SG,
  endpoints: true,
};

function synth(databaseVpc?: DatabaseVpcConfig): { stack: OrchestratorStack; template: Template } {
  const config: OrchestratorConfig = {
    allowedZones: [{ hostedZoneId: 'Z0EXAMPLEPUBLIC', recordNames: ['app.example.com'] }],
    databaseSecretArns: ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/blue-AbCdEf'],
    deployStacks: [],
    rdsInstances: ['orders'],
    ...(databaseVpc ? { databaseVpc } : {}),
  };
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new OrchestratorStack(app, 'CutoverOrchestrator', { config, runbooks: [] });
  return { stack, template: Template.fromStack(stack) };
}

type Fn = { Properties: { VpcConfig?: unknown; Environment: { Variables: Record<string, unknown> } } };
function stepFunctions(template: Template): Map<string, Fn> {
  const found = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ CUTOVER_STEP: Match.anyValue() }) } },
  }) as Record<string, Fn>;
  return new Map(
    Object.values(found).map((fn) => [fn.Properties.Environment.Variables.CUTOVER_STEP as string, fn]),
  );
}

const statementsOf = stepRoleStatements;
const actionsOf = (statements: { Action: string | string[] }[]) => statements.flatMap((s) => s.Action);

const { stack, template } = synth(VPC);

describe('the database steps in the configured VPC', () => {
  it('are the steps that declare access to the database secrets, and only those', () => {
    expect(DATABASE_STEPS).toEqual(
      expect.arrayContaining([
        'preflight',
        'check-lag',
        'finalize',
        'freeze-writes',
        'check-caught-up',
        'sync-sequences',
        'verify-data',
        'recheck-data',
        'switch-database',
        'rollback',
        'restore',
      ]),
    );
    for (const step of ['validate-plan', 'acquire-lock', 'set-weights', 'watch-bakes', 'record-outcome'])
      expect(DATABASE_STEPS).not.toContain(step);
  });

  it('run in the configured subnets with the configured security group, trusting the RDS CA', () => {
    const functions = stepFunctions(template);
    expect(functions.size).toBe(STEP_NAMES.length);
    for (const step of DATABASE_STEPS) {
      const fn = functions.get(step)!;
      expect(fn.Properties.VpcConfig).toEqual({
        SubnetIds: SUBNETS.map((s) => s.subnetId),
        SecurityGroupIds: [STEP_SG],
      });
      expect(fn.Properties.Environment.Variables.NODE_EXTRA_CA_CERTS).toBe('/var/runtime/ca-cert.pem');
    }
  });

  it('leaves every other step outside the VPC', () => {
    const others = [...stepFunctions(template)].filter(([step]) => !DATABASE_STEPS.includes(step as never));
    expect(others.map(([step]) => step)).toContain('set-weights');
    for (const [, fn] of others) {
      expect(fn.Properties.VpcConfig).toBeUndefined();
      expect(fn.Properties.Environment.Variables.NODE_EXTRA_CA_CERTS).toBeUndefined();
    }
  });

  it('trusts the RDS CA in the database steps also without a VPC, and attaches no function to one', () => {
    const functions = stepFunctions(synth().template);
    expect(functions.get('freeze-writes')!.Properties.Environment.Variables.NODE_EXTRA_CA_CERTS).toBe(
      '/var/runtime/ca-cert.pem',
    );
    for (const fn of functions.values()) expect(fn.Properties.VpcConfig).toBeUndefined();
  });

  it('lets Lambda manage network interfaces only for the database steps, created only in the configured subnets and group', () => {
    const create = statementsOf(template, 'freeze-writes').find(
      (s) => s.Action === 'ec2:CreateNetworkInterface',
    );
    const ec2Arn = (resource: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ec2:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:${resource}`,
        ],
      ],
    });
    expect(create?.Resource).toEqual([
      ec2Arn('network-interface/*'),
      ...SUBNETS.map((s) => ec2Arn(`subnet/${s.subnetId}`)),
      ec2Arn(`security-group/${STEP_SG}`),
    ]);
    expect(actionsOf(statementsOf(template, 'rollback'))).toEqual(
      expect.arrayContaining(['ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface']),
    );
    expect(actionsOf(statementsOf(template, 'set-weights')).filter((a) => a.startsWith('ec2:'))).toEqual([]);
    // No AWS-managed policy (AWSLambdaVPCAccessExecutionRole would allow every subnet).
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toContain('ManagedPolicyArns');
  });

  it('creates interface endpoints with private DNS for the APIs those steps call, reachable on 443 from their group only', () => {
    const services = ['secretsmanager', 'rds', 'monitoring', 'xray'];
    for (const service of services) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        VpcId: VPC.vpcId,
        PrivateDnsEnabled: true,
        SubnetIds: SUBNETS.map((s) => s.subnetId),
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
      });
    }
    template.resourcePropertiesCountIs(
      'AWS::EC2::VPCEndpoint',
      { VpcEndpointType: 'Interface' },
      services.length,
    );
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      VpcId: VPC.vpcId,
      SecurityGroupIngress: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          SourceSecurityGroupId: STEP_SG,
          Description: Match.anyValue(),
        },
      ],
    });
  });

  it('adds a DynamoDB gateway endpoint (the control table) to the subnets’ route tables', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      RouteTableIds: SUBNETS.map((s) => s.routeTableId),
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
    });
  });

  it('derives the endpoints from the declared access: a notifying step would need SNS, Route 53 has none', () => {
    const names = (steps: Parameters<typeof endpointsFor>[0]) =>
      endpointsFor(steps).map((e) => (e.kind === 'interface' ? e.service.shortName : 'dynamodb'));
    expect(names(['record-outcome'])).toEqual(['dynamodb', 'sns', 'scheduler', 'xray']);
    expect(names(['set-weights'])).toEqual(['dynamodb', 'xray']);
  });

  it('creates no endpoint when the subnets reach AWS through a NAT (endpoints: false)', () => {
    const { template: withNat } = synth({ ...VPC, endpoints: false });
    withNat.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    withNat.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    expect(stepFunctions(withNat).get('check-lag')!.Properties.VpcConfig).toBeDefined();
  });

  it('passes cdk-nag AwsSolutions and the cutover checks', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
