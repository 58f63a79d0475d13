import {
  GetHealthCheckStatusCommand,
  Route53Client,
  type HealthCheckObservation,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Route53HealthCheckProbe } from '../../../adapters/aws/route53-health-check-probe';

const route53 = mockClient(Route53Client);
const id = 'abcdef11-2222-3333-4444-555555fedcba';
const probe = new Route53HealthCheckProbe(new Route53Client({}), id);

const success = 'Success: HTTP Status Code 200. Resolved IP: 192.0.2.10';
const failure = 'Failure: HTTP Status Code 503. Resolved IP: 192.0.2.10';

function observations(...statuses: string[]): { HealthCheckObservations: HealthCheckObservation[] } {
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'sa-east-1'] as const;
  return {
    HealthCheckObservations: statuses.map((status, i) => ({
      Region: regions[i % regions.length],
      IPAddress: `15.177.0.${i + 1}`,
      StatusReport: { Status: status, CheckedTime: new Date('2026-11-26T10:00:00Z') },
    })),
  };
}

beforeEach(() => route53.reset());

it('is healthy when a majority of checkers report success', async () => {
  route53.on(GetHealthCheckStatusCommand).resolves(observations(success, success, failure));

  await expect(probe.check()).resolves.toEqual({
    probe: `route53HealthCheck ${id}`,
    outcome: 'healthy',
    detail: '2 of 3 health checkers report success',
  });
  expect(route53).toReceiveCommandWith(GetHealthCheckStatusCommand, { HealthCheckId: id });
});

it('is unhealthy when only half of the checkers report success', async () => {
  route53.on(GetHealthCheckStatusCommand).resolves(observations(success, failure, success, failure));

  await expect(probe.check()).resolves.toEqual({
    probe: `route53HealthCheck ${id}`,
    outcome: 'unhealthy',
    detail: `2 of 4 health checkers report success; e.g. eu-west-1: ${failure}`,
  });
});

it('is inconclusive when no checker has reported', async () => {
  route53.on(GetHealthCheckStatusCommand).resolves({ HealthCheckObservations: [] });

  await expect(probe.check()).resolves.toMatchObject({ outcome: 'inconclusive' });
});

it('fails with Throttled when Route 53 throttles', async () => {
  route53
    .on(GetHealthCheckStatusCommand)
    .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

  await expect(probe.check()).rejects.toMatchObject({ name: 'Throttled' });
});
