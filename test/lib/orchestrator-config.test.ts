import { App } from 'aws-cdk-lib';
import { readOrchestratorConfig } from '../../lib/orchestrator-config';

function read(context: Record<string, unknown>) {
  return readOrchestratorConfig(new App({ context }).node);
}

const zones = [{ hostedZoneId: 'Z0EXAMPLEPUBLIC', recordNames: ['App.Example.com.'] }];

describe('orchestrator configuration (cdk.json context)', () => {
  it('reads the allowed records, normalizing names, with nothing else allowed by default', () => {
    expect(read({ 'cutover:allowedRecords': zones })).toEqual({
      allowedZones: [{ hostedZoneId: 'Z0EXAMPLEPUBLIC', recordNames: ['app.example.com'] }],
      databaseSecretArns: [],
      deployStacks: [],
      deployServices: [],
      ecsTaskRoleArns: [],
      allowedProbeTargets: [],
      notificationTopicArns: [],
    });
  });

  it('reads the private addresses health probes may reach', () => {
    const context = { 'cutover:allowedRecords': zones, 'cutover:allowedProbeTargets': ['10.0.3.0/24'] };
    expect(read(context).allowedProbeTargets).toEqual(['10.0.3.0/24']);
  });

  it.each([
    [
      {},
      'cdk.json context "cutover:allowedRecords": expected a non-empty list of { hostedZoneId, recordNames }',
    ],
    [
      { 'cutover:allowedRecords': [{ hostedZoneId: 'example.com', recordNames: ['a.example.com'] }] },
      'cdk.json context "cutover:allowedRecords"[0].hostedZoneId: expected a Route 53 hosted zone id, got "example.com"',
    ],
    [
      { 'cutover:allowedRecords': [{ hostedZoneId: 'Z0EXAMPLE', recordNames: [] }] },
      'cdk.json context "cutover:allowedRecords"[0].recordNames: expected a non-empty list of record names',
    ],
    [
      { 'cutover:allowedRecords': zones, 'cutover:databaseSecretArns': ['orders/blue'] },
      'cdk.json context "cutover:databaseSecretArns": expected a list of strings matching',
    ],
    [
      { 'cutover:allowedRecords': zones, 'cutover:cloudFormationRoleArn': 'admin' },
      'cdk.json context "cutover:cloudFormationRoleArn": expected a string matching',
    ],
    [
      { 'cutover:allowedRecords': zones, 'cutover:allowedProbeTargets': ['10.0.0.0/8', 'intranet'] },
      'cdk.json context "cutover:allowedProbeTargets": allowed probe target "intranet" is not an IP address or CIDR block',
    ],
    [
      { 'cutover:allowedRecords': zones, 'cutover:deployStacks': ['web-green'] },
      'cdk.json context "cutover:cloudFormationRoleArn": required when "cutover:deployStacks" is set; without a service role the stack deploys with the step\'s own role and every resource fails',
    ],
    [
      { 'cutover:allowedRecords': zones, 'cutover:deployServices': ['orders-green'] },
      'cdk.json context "cutover:deployServices": expected a list of strings matching',
    ],
  ])('fails on %j', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });
});
