import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CutoverChecks } from '../../../lib/nag/cutover-checks';
import { ENVIRONMENTS_CONTEXT, parseEnvironments } from '../../../lib/platform/environments';
import { addPlatformStages } from '../../../lib/platform/platform-stages';
import cdkJson from '../../../cdk.json';
import { thrownMessage } from '../../support/thrown-message';
import { devEnvironment } from './platform-fixtures';

const example = parseEnvironments(cdkJson.context[ENVIRONMENTS_CONTEXT]);

describe('environments configuration', () => {
  it('ships dev, staging and prod, lowest first, with prod in two regions', () => {
    expect(example.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(example.find((e) => e.name === 'prod')?.regions).toHaveLength(2);
  });

  it('fails naming the field when a value is wrong', () => {
    const broken = [{ ...devEnvironment(), account: '1234' }];
    expect(() => parseEnvironments(broken)).toThrow(
      'cdk.json context "cutover:environments[0].account": expected a 12-digit AWS account id',
    );
  });

  it('fails when an availability zone is not in its region', () => {
    const environment = devEnvironment();
    const broken = [
      {
        ...environment,
        regions: [{ ...environment.regions[0]!, availabilityZones: ['eu-west-1a', 'us-east-1b'] }],
      },
    ];
    expect(() => parseEnvironments(broken)).toThrow(
      'cdk.json context "cutover:environments[0].regions[0].availabilityZones": us-east-1b is not in eu-west-1',
    );
  });

  it('fails on an unknown key and on a log retention CloudWatch does not offer', () => {
    const environment = devEnvironment();
    const broken = [
      { ...environment, platform: { ...environment.platform, logRetentionDays: 45 }, extra: 1 },
    ];
    expect(() => parseEnvironments(broken)).toThrow(
      /cutover:environments\[0\].platform.logRetentionDays": expected one of/,
    );
    expect(() => parseEnvironments(broken)).toThrow(/Unrecognized key: "extra"/);
  });

  it('fails when an environment is listed twice', () => {
    expect(() => parseEnvironments([devEnvironment(), devEnvironment()])).toThrow(
      'cdk.json context "cutover:environments[1].name": "dev" is listed twice',
    );
  });
});

describe('the example environments, synthesized offline', () => {
  // One synth for the file: 3 environments, 6 stages, with cdk-nag and cutover's checks.
  const app = new App();
  const stages = addPlatformStages(app, example);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CutoverChecks(app));
  const synth = thrownMessage(() => app.synth());

  it('is cdk-nag clean across every stage', () => {
    expect(synth).toBeUndefined();
  });

  it('has one stage per environment and region, each in its own account and region', () => {
    expect(stages.map((stage) => `${stage.stageName} ${stage.account} ${stage.region}`)).toEqual([
      'dev-eu-west-1 111111111111 eu-west-1',
      'dev-eu-central-1 111111111111 eu-central-1',
      'staging-eu-west-1 222222222222 eu-west-1',
      'staging-eu-central-1 222222222222 eu-central-1',
      'prod-eu-west-1 333333333333 eu-west-1',
      'prod-eu-central-1 333333333333 eu-central-1',
    ]);
  });

  it('creates the multi-region trail once per account, in its first region', () => {
    const trails = stages.map((stage) =>
      Template.fromStack(stage.stack).findResources('AWS::CloudTrail::Trail'),
    );
    expect(trails.map((found) => Object.keys(found).length)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('makes the prod database Multi-AZ', () => {
    const prod = stages.filter((stage) => stage.stageName.startsWith('prod-'));
    for (const stage of prod) {
      Template.fromStack(stage.stack).hasResourceProperties('AWS::RDS::DBInstance', {
        MultiAZ: true,
        DBInstanceClass: 'db.m7g.large',
      });
    }
  });
});
