import {
  ListResourceRecordSetsCommand,
  Route53Client,
  ChangeResourceRecordSetsCommand,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Route53TrafficRouter } from '../../adapters/aws/route53-traffic-router';
import { ErrorNames } from '../../domain/errors';
import { expectStopped } from '../support/workflow-expectations';
import { fastPlan, Scenario, workflowDefinition, ZONE } from '../support/workflow-harness';

const route53 = mockClient(Route53Client);

beforeAll(() => workflowDefinition());
beforeEach(() => route53.reset());

/** Route 53 (faked at the SDK boundary) serving the pair all-blue, blue with this TTL and value. */
function liveBlue(ttl: number, value: string) {
  route53.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [
      {
        Name: 'app.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'blue',
        Weight: 100,
        TTL: ttl,
        ResourceRecords: [{ Value: value }],
      },
      {
        Name: 'app.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'green',
        Weight: 0,
        TTL: ttl,
        ResourceRecords: [{ Value: 'green.example.com' }],
      },
    ],
    IsTruncated: false,
    MaxItems: 300,
  });
}

function scenarioOnRoute53(execution: string): Scenario {
  const scenario = new Scenario(fastPlan(), execution);
  Object.assign(scenario.ports, { traffic: new Route53TrafficRouter(new Route53Client({})) });
  return scenario;
}

describe('cutover workflow: preflight compares the live blue records with the plan', () => {
  it('stops before any change when blue is served with another value and TTL, naming the fields', async () => {
    liveBlue(300, 'legacy-lb.example.com.');
    const scenario = scenarioOnRoute53('blue-mismatch');
    const result = await scenario.run();
    const where = `record app.example.com (CNAME, set "blue") in zone ${ZONE}`;
    expectStopped(
      scenario,
      result,
      'preflight',
      ErrorNames.PreflightFailed,
      `${where}: blue.values is [legacy-lb.example.com] live, [blue.example.com] in the plan; describe blue as it is (rollback writes it back); ${where}: ttl is 300 live, 0 in the plan`,
    );
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });
});
