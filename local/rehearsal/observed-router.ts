import type { WeightedPair, ZonePairs } from '../../domain/context/execution-context';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { LiveSide } from '../../domain/dns/blue-record-check';
import type { Weights } from '../../domain/traffic/weights';
import type { ChangeTicket, EndpointRecord, TrafficRouter } from '../../ports/traffic-router';

/**
 * The local router as the workflow sees it, with the rehearsal's hooks: it reports every weight change
 * (faults trigger on steps) and can throttle like Route 53 does under load.
 */
export class ObservedRouter implements TrafficRouter {
  private throttles: number;

  constructor(
    private readonly inner: TrafficRouter,
    private readonly onChange: (weights: Weights) => Promise<void>,
    throttles = 0,
  ) {
    this.throttles = throttles;
  }

  async setWeights(
    zones: readonly ZonePairs[],
    weights: Weights,
    signal?: AbortSignal,
  ): Promise<ChangeTicket[]> {
    if (this.throttles > 0) {
      this.throttles -= 1;
      throw new CutoverError(ErrorNames.Throttled, 'Rate exceeded (rehearsal fault router-throttled)');
    }
    const tickets = await this.inner.setWeights(zones, weights, signal);
    await this.onChange(weights);
    return tickets;
  }

  isInSync(tickets: readonly ChangeTicket[], signal?: AbortSignal): Promise<boolean> {
    return this.inner.isInSync(tickets, signal);
  }

  readBlue(pair: WeightedPair, signal?: AbortSignal): Promise<LiveSide> {
    return this.inner.readBlue(pair, signal);
  }

  readWeights(pair: WeightedPair, signal?: AbortSignal): Promise<Weights> {
    return this.inner.readWeights(pair, signal);
  }

  pointEndpoint(endpoint: EndpointRecord, target: string, signal?: AbortSignal): Promise<ChangeTicket> {
    return this.inner.pointEndpoint(endpoint, target, signal);
  }
}
