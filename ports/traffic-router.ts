import type { EndpointRecord, WeightedPair, ZonePairs } from '../domain/context/execution-context';
import type { LiveSide } from '../domain/dns/blue-record-check';
import type { Weights } from '../domain/traffic/weights';

export type { EndpointRecord };

/** A pending DNS change to poll until it has propagated (a Route 53 change id, or a local one). */
export interface ChangeTicket {
  readonly id: string;
  readonly hostedZoneId: string;
}

/** Moves traffic between the blue and green side of weighted record pairs. */
export interface TrafficRouter {
  /** Sets both records of every pair, in one change per hosted zone; idempotent. */
  setWeights(zones: readonly ZonePairs[], weights: Weights, signal?: AbortSignal): Promise<ChangeTicket[]>;
  /** True once every ticket's change has propagated (Route 53: INSYNC). */
  isInSync(tickets: readonly ChangeTicket[], signal?: AbortSignal): Promise<boolean>;
  /** Reads blue's weighted record as it is served today (preflight checks the plan describes it). */
  readBlue(pair: WeightedPair, signal?: AbortSignal): Promise<LiveSide>;
  /** Reads back the weights in force for a pair, to verify a change converged. */
  readWeights(pair: WeightedPair, signal?: AbortSignal): Promise<Weights>;
  /** Points a CNAME at a new host name; idempotent. */
  pointEndpoint(endpoint: EndpointRecord, target: string, signal?: AbortSignal): Promise<ChangeTicket>;
}
