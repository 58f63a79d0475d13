import type { Ports } from '../../workflow/ports';
import { deferred, onceAsync } from './deferred';

export const route53 = onceAsync(
  async () => new (await import('@aws-sdk/client-route-53')).Route53Client({}),
);

export const traffic = (): Ports['traffic'] =>
  deferred(async () => {
    const { Route53TrafficRouter } = await import('../../adapters/aws/route53-traffic-router.js');
    return new Route53TrafficRouter(await route53());
  });
