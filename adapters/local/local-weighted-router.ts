import type { LiveSide } from '../../domain/dns/blue-record-check';
import { normalizeRecordName } from '../../domain/dns/record-name';
import type { WeightedPair, ZonePairs } from '../../domain/context/execution-context';
import { ALL_BLUE, type Weights } from '../../domain/traffic/weights';
import type { ChangeTicket, EndpointRecord, TrafficRouter } from '../../ports/traffic-router';

interface Change {
  /** When it is served. */
  readonly dueAt: number;
  readonly apply: () => void;
  applied: boolean;
}

export interface LocalWeightedRouterOptions {
  /** How long a change takes to reach the (local) name servers, like Route 53's PENDING → INSYNC. @default 0 */
  readonly propagationMs?: number;
  /** The same for the endpoint records (the database's name). @default propagationMs */
  readonly endpointPropagationMs?: number;
  readonly now?: () => number;
}

/**
 * The weighted-record pair and the endpoint records of a local platform, behind the same port as
 * Route 53: a change is accepted at once and served after `propagationMs`; weights read back are the
 * ones being served.
 */
export class LocalWeightedRouter implements TrafficRouter {
  private readonly weights = new Map<string, Weights>();
  private readonly blues = new Map<string, LiveSide>();
  private readonly endpoints = new Map<string, string>();
  private readonly changes = new Map<string, Change>();
  private readonly propagationMs: number;
  private readonly endpointPropagationMs: number;
  private readonly now: () => number;
  private sequence = 0;

  constructor(options: LocalWeightedRouterOptions = {}) {
    this.propagationMs = options.propagationMs ?? 0;
    this.endpointPropagationMs = options.endpointPropagationMs ?? this.propagationMs;
    this.now = options.now ?? Date.now;
  }

  /** Creates a record pair serving all-blue, as it exists before a cutover; blue as the plan describes it. */
  addRecord(
    record: Pick<WeightedPair, 'hostedZoneId' | 'name' | 'ttl' | 'blue'>,
    weights: Weights = ALL_BLUE,
  ): void {
    const key = recordKey(record.hostedZoneId, record.name);
    this.weights.set(key, weights);
    const { alias, values } = record.blue;
    this.blues.set(key, alias ? { alias } : { ttl: record.ttl, values: values ?? [] });
  }

  async readBlue(record: Pick<WeightedPair, 'hostedZoneId' | 'name'>): Promise<LiveSide> {
    const blue = this.blues.get(recordKey(record.hostedZoneId, record.name));
    if (!blue) throw new Error(`no weighted records ${record.name} in zone ${record.hostedZoneId}`);
    return blue;
  }

  addEndpoint(endpoint: EndpointRecord, target: string): void {
    this.endpoints.set(recordKey(endpoint.hostedZoneId, endpoint.name), target);
  }

  async setWeights(zones: readonly ZonePairs[], weights: Weights): Promise<ChangeTicket[]> {
    return zones.map((zone) =>
      this.change(zone.hostedZoneId, this.propagationMs, () => {
        for (const pair of zone.pairs) this.weights.set(recordKey(zone.hostedZoneId, pair.name), weights);
      }),
    );
  }

  async isInSync(tickets: readonly ChangeTicket[]): Promise<boolean> {
    this.propagate();
    return tickets.every((ticket) => this.changes.get(ticket.id)?.applied ?? false);
  }

  async readWeights(record: Pick<WeightedPair, 'hostedZoneId' | 'name'>): Promise<Weights> {
    this.propagate();
    const weights = this.weights.get(recordKey(record.hostedZoneId, record.name));
    if (!weights) throw new Error(`no weighted records ${record.name} in zone ${record.hostedZoneId}`);
    return weights;
  }

  async pointEndpoint(endpoint: EndpointRecord, target: string): Promise<ChangeTicket> {
    return this.change(endpoint.hostedZoneId, this.endpointPropagationMs, () =>
      this.endpoints.set(recordKey(endpoint.hostedZoneId, endpoint.name), target),
    );
  }

  /** The weights being served for a record now (what a fresh DNS answer reflects). */
  served(hostedZoneId: string, name: string): Weights | undefined {
    this.propagate();
    return this.weights.get(recordKey(hostedZoneId, name));
  }

  /** The host an endpoint record resolves to now. */
  resolveEndpoint(hostedZoneId: string, name: string): string | undefined {
    this.propagate();
    return this.endpoints.get(recordKey(hostedZoneId, name));
  }

  private change(hostedZoneId: string, propagationMs: number, apply: () => void): ChangeTicket {
    const id = `/change/LOCAL${++this.sequence}`;
    this.changes.set(id, { dueAt: this.now() + propagationMs, apply, applied: false });
    this.propagate();
    return { id, hostedZoneId };
  }

  /**
   * Applies, in order, every change whose propagation time has passed. Changes of one kind of record
   * share one propagation time, so changes to the same record are applied in the order they were made.
   */
  private propagate(): void {
    const now = this.now();
    for (const change of this.changes.values()) {
      if (change.applied || change.dueAt > now) continue;
      change.apply();
      change.applied = true;
    }
  }
}

function recordKey(hostedZoneId: string, name: string): string {
  return `${hostedZoneId}/${normalizeRecordName(name)}`;
}
