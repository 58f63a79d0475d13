import { App } from 'aws-cdk-lib';
import { readOrchestratorConfig } from '../../lib/orchestrator-config';
import { thrownMessage } from '../support/thrown-message';

const zones = [{ hostedZoneId: 'Z0EXAMPLEPUBLIC', recordNames: ['app.example.com'] }];
const subnet = { subnetId: 'subnet-0aaaaaaaaaaaaaaa1', availabilityZone: 'eu-west-1a' };
const vpc = { vpcId: 'vpc-0ddddddddddddddd4', subnets: [subnet], securityGroupId: 'sg-0ccccccccccccccc3' };

function read(databaseVpc: unknown) {
  return readOrchestratorConfig(
    new App({ context: { 'cutover:allowedRecords': zones, 'cutover:databaseVpc': databaseVpc } }).node,
  );
}

describe('cdk.json context "cutover:databaseVpc"', () => {
  it('reads the VPC, subnets and security group; no endpoints unless asked for', () => {
    expect(read(vpc).databaseVpc).toEqual({ ...vpc, endpoints: false });
  });

  it('is absent when not configured', () => {
    expect(
      readOrchestratorConfig(new App({ context: { 'cutover:allowedRecords': zones } }).node).databaseVpc,
    ).toBeUndefined();
  });

  it.each([
    [
      { ...vpc, vpcId: 'my-vpc' },
      '"cutover:databaseVpc.vpcId": expected a VPC id such as "vpc-0123456789abcdef0"',
    ],
    [{ ...vpc, subnets: [] }, '"cutover:databaseVpc.subnets": expected at least one subnet'],
    [
      { ...vpc, subnets: [{ ...subnet, subnetId: 'subnet-x' }] },
      '"cutover:databaseVpc.subnets[0].subnetId": expected a subnet id such as "subnet-0123456789abcdef0"',
    ],
    [
      { ...vpc, subnets: [{ subnetId: subnet.subnetId }] },
      '"cutover:databaseVpc.subnets[0].availabilityZone": ',
    ],
    [
      { ...vpc, subnets: [subnet, { ...subnet, subnetId: 'subnet-0bbbbbbbbbbbbbbb2' }] },
      '"cutover:databaseVpc.subnets": two subnets in eu-west-1a; a VPC endpoint takes one subnet per availability zone',
    ],
    [
      { ...vpc, securityGroupId: 'default' },
      '"cutover:databaseVpc.securityGroupId": expected a security group id such as "sg-0123456789abcdef0"',
    ],
    [
      { ...vpc, endpoints: true },
      '"cutover:databaseVpc.subnets[0].routeTableId": required with "endpoints": true (the DynamoDB gateway endpoint is added to this route table)',
    ],
    [{ ...vpc, endpoints: 'yes' }, '"cutover:databaseVpc.endpoints": '],
    [{ ...vpc, nat: true }, '"cutover:databaseVpc": Unrecognized key: "nat"'],
    ['vpc-0ddddddddddddddd4', '"cutover:databaseVpc": '],
  ])('fails on %j with one line naming the key', (value, message) => {
    const error = thrownMessage(() => read(value));
    expect(error).toContain(`cdk.json context ${message}`);
    expect(error).not.toContain('\n');
  });
});
