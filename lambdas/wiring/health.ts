import { HttpProbe } from '../../adapters/http/http-probe';
import type { ProbeSpec } from '../../domain/context/execution-context';
import type { HealthProbe } from '../../ports/health-probe';
import type { Ports } from '../../workflow/ports';
import { deferred, onceAsync } from './deferred';
import { allowedProbeTargets } from './environment';
import { route53 } from './route53';

export const cloudwatch = onceAsync(
  async () => new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient({}),
);

/** HTTP probes need no SDK; alarm and health-check probes load theirs on their first check. */
export const healthProbes = (): Ports['healthProbes'] => (probes) => probes.map(probeOf);

function probeOf(probe: ProbeSpec): HealthProbe {
  switch (probe.kind) {
    case 'http':
      return new HttpProbe({
        url: probe.url,
        expectStatus: probe.expectStatus,
        latencyBudgetMs: probe.latencyBudgetSeconds * 1000,
        allowedTargets: allowedProbeTargets(),
      });
    case 'alarm': {
      const { check } = deferred<HealthProbe>(async () => {
        const { CloudWatchAlarmProbe } = await import('../../adapters/aws/cloudwatch-alarm-probe.js');
        return new CloudWatchAlarmProbe(await cloudwatch(), probe.alarmName);
      });
      return { name: `alarm ${probe.alarmName}`, check };
    }
    case 'route53HealthCheck': {
      const { check } = deferred<HealthProbe>(async () => {
        const { Route53HealthCheckProbe } = await import('../../adapters/aws/route53-health-check-probe.js');
        return new Route53HealthCheckProbe(await route53(), probe.healthCheckId);
      });
      return { name: `route53HealthCheck ${probe.healthCheckId}`, check };
    }
  }
}
