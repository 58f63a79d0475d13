import { GetHealthCheckStatusCommand, type Route53Client } from '@aws-sdk/client-route-53';
import type { HealthProbe, ProbeResult } from '../../ports/health-probe';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

/** Healthy when a majority of Route 53's health checkers report success for the endpoint. */
export class Route53HealthCheckProbe implements HealthProbe {
  readonly name: string;

  constructor(
    private readonly client: Route53Client,
    private readonly healthCheckId: string,
  ) {
    this.name = `route53HealthCheck ${healthCheckId}`;
  }

  async check(signal?: AbortSignal): Promise<ProbeResult> {
    const { HealthCheckObservations: observations = [] } = await this.client
      .send(new GetHealthCheckStatusCommand({ HealthCheckId: this.healthCheckId }), withSignal(signal))
      .catch(rethrowAwsError);
    if (observations.length === 0) {
      return { probe: this.name, outcome: 'inconclusive', detail: 'no health checker has reported yet' };
    }
    const failing = observations.filter((o) => !o.StatusReport?.Status?.startsWith('Success'));
    const succeeding = observations.length - failing.length;
    const healthy = succeeding * 2 > observations.length;
    const sample = failing[0]?.StatusReport?.Status;
    const detail =
      `${succeeding} of ${observations.length} health checkers report success` +
      (healthy || sample === undefined ? '' : `; e.g. ${failing[0]?.Region ?? 'a checker'}: ${sample}`);
    return { probe: this.name, outcome: healthy ? 'healthy' : 'unhealthy', detail };
  }
}
