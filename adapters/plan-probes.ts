import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { ProbeSpec } from '../domain/context/execution-context';
import type { HealthProbe } from '../ports/health-probe';
import { CloudWatchAlarmProbe } from './aws/cloudwatch-alarm-probe';
import { Route53HealthCheckProbe } from './aws/route53-health-check-probe';
import { HttpProbe } from './http/http-probe';

/** The probes the context's health section asks for, each behind the HealthProbe port (clients made when needed). */
export function planProbes(
  probes: readonly ProbeSpec[],
  clients: { readonly cloudwatch: () => CloudWatchClient; readonly route53: () => Route53Client },
): HealthProbe[] {
  return probes.map((probe) => {
    switch (probe.kind) {
      case 'http':
        return new HttpProbe({
          url: probe.url,
          expectStatus: probe.expectStatus,
          latencyBudgetMs: probe.latencyBudgetSeconds * 1000,
        });
      case 'alarm':
        return new CloudWatchAlarmProbe(clients.cloudwatch(), probe.alarmName);
      case 'route53HealthCheck':
        return new Route53HealthCheckProbe(clients.route53(), probe.healthCheckId);
    }
  });
}
