import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  type Change,
  type ListResourceRecordSetsRequest,
  type ListResourceRecordSetsResponse,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import type { LiveSide } from '../../domain/dns/blue-record-check';
import { sameRecordName } from '../../domain/dns/record-name';
import type { WeightedPair, WeightedSide, ZonePairs } from '../../domain/context/execution-context';
import type { Weights } from '../../domain/traffic/weights';
import type { ChangeTicket, EndpointRecord, TrafficRouter } from '../../ports/traffic-router';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

/** Weighted Route 53 record pairs: one ChangeResourceRecordSets call per hosted zone and step. */
export class Route53TrafficRouter implements TrafficRouter {
  constructor(private readonly client: Route53Client) {}

  async setWeights(
    zones: readonly ZonePairs[],
    weights: Weights,
    signal?: AbortSignal,
  ): Promise<ChangeTicket[]> {
    const comment = `cutover: blue ${weights.blue} / green ${weights.green}`;
    const tickets: ChangeTicket[] = [];
    for (const zone of zones) {
      const changes = zone.pairs.flatMap((pair) => [
        upsert(weightedRecordSet(pair, pair.blue, weights.blue)),
        upsert(weightedRecordSet(pair, pair.green, weights.green)),
      ]);
      tickets.push(await this.change(zone.hostedZoneId, changes, comment, signal));
    }
    return tickets;
  }

  async isInSync(tickets: readonly ChangeTicket[], signal?: AbortSignal): Promise<boolean> {
    // One at a time, stopping at the first PENDING: Route 53 allows 5 requests per second per account.
    for (const ticket of tickets) {
      const { ChangeInfo } = await this.client
        .send(new GetChangeCommand({ Id: ticket.id }), withSignal(signal))
        .catch(rethrowAwsError);
      if (ChangeInfo?.Status !== 'INSYNC') return false;
    }
    return true;
  }

  async readBlue(record: WeightedPair, signal?: AbortSignal): Promise<LiveSide> {
    const set = setOf(record, await this.listRecordSets(record, signal), record.blue);
    const alias = set.AliasTarget;
    if (alias) {
      return {
        alias: {
          dnsName: alias.DNSName ?? '',
          hostedZoneId: alias.HostedZoneId ?? '',
          evaluateTargetHealth: alias.EvaluateTargetHealth ?? false,
        },
      };
    }
    return { ttl: set.TTL, values: (set.ResourceRecords ?? []).map((r) => r.Value ?? '') };
  }

  async readWeights(record: WeightedPair, signal?: AbortSignal): Promise<Weights> {
    const sets = await this.listRecordSets(record, signal);
    return { blue: weightOf(record, sets, record.blue), green: weightOf(record, sets, record.green) };
  }

  async pointEndpoint(endpoint: EndpointRecord, target: string, signal?: AbortSignal): Promise<ChangeTicket> {
    const recordSet: ResourceRecordSet = {
      Name: endpoint.name,
      Type: 'CNAME',
      TTL: endpoint.ttl,
      ResourceRecords: [{ Value: target }],
    };
    return this.change(endpoint.hostedZoneId, [upsert(recordSet)], `cutover: point to ${target}`, signal);
  }

  private async change(
    hostedZoneId: string,
    changes: Change[],
    comment: string,
    signal: AbortSignal | undefined,
  ): Promise<ChangeTicket> {
    const { ChangeInfo } = await this.client
      .send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: hostedZoneId,
          ChangeBatch: { Comment: comment, Changes: changes },
        }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
    if (!ChangeInfo?.Id) throw new Error(`Route 53 returned no change id for hosted zone ${hostedZoneId}`);
    return { id: ChangeInfo.Id, hostedZoneId };
  }

  /** Every record set with the record's name and type (weighted sets share both, so they list together). */
  private async listRecordSets(record: WeightedPair, signal?: AbortSignal): Promise<ResourceRecordSet[]> {
    const found: ResourceRecordSet[] = [];
    let start: ListStart | undefined = { StartRecordName: record.name, StartRecordType: record.type };
    while (start) {
      const page = await this.client
        .send(
          new ListResourceRecordSetsCommand({ HostedZoneId: record.hostedZoneId, ...start }),
          withSignal(signal),
        )
        .catch(rethrowAwsError);
      found.push(...(page.ResourceRecordSets ?? []).filter((set) => sameRecord(set, record)));
      start = nextStart(page, record);
    }
    return found;
  }
}

type ListStart = Pick<
  ListResourceRecordSetsRequest,
  'StartRecordName' | 'StartRecordType' | 'StartRecordIdentifier'
>;

/** Where the next page starts, if it may still hold sets of this record. */
function nextStart(page: ListResourceRecordSetsResponse, record: WeightedPair): ListStart | undefined {
  const { IsTruncated, NextRecordName, NextRecordType, NextRecordIdentifier } = page;
  if (!IsTruncated || NextRecordName === undefined || NextRecordType !== record.type) return undefined;
  if (!sameRecordName(NextRecordName, record.name)) return undefined;
  return {
    StartRecordName: NextRecordName,
    StartRecordType: NextRecordType,
    ...(NextRecordIdentifier === undefined ? {} : { StartRecordIdentifier: NextRecordIdentifier }),
  };
}

function upsert(recordSet: ResourceRecordSet): Change {
  return { Action: 'UPSERT', ResourceRecordSet: recordSet };
}

function weightedRecordSet(record: WeightedPair, side: WeightedSide, weight: number): ResourceRecordSet {
  const common = { Name: record.name, Type: record.type, SetIdentifier: side.setIdentifier, Weight: weight };
  if (side.alias) {
    return {
      ...common,
      AliasTarget: {
        DNSName: side.alias.dnsName,
        HostedZoneId: side.alias.hostedZoneId,
        EvaluateTargetHealth: side.alias.evaluateTargetHealth,
      },
    };
  }
  return {
    ...common,
    TTL: record.ttl,
    ResourceRecords: (side.values ?? []).map((value) => ({ Value: value })),
  };
}

function weightOf(record: WeightedPair, sets: readonly ResourceRecordSet[], side: WeightedSide): number {
  return setOf(record, sets, side).Weight!;
}

function setOf(
  record: WeightedPair,
  sets: readonly ResourceRecordSet[],
  side: WeightedSide,
): ResourceRecordSet & { Weight: number } {
  const set = sets.find((candidate) => candidate.SetIdentifier === side.setIdentifier);
  if (set?.Weight === undefined) {
    throw new Error(
      `no weighted ${record.type} record ${record.name} with set identifier "${side.setIdentifier}" ` +
        `in hosted zone ${record.hostedZoneId}`,
    );
  }
  return { ...set, Weight: set.Weight };
}

function sameRecord(set: ResourceRecordSet, record: WeightedPair): boolean {
  return set.Type === record.type && set.Name !== undefined && sameRecordName(set.Name, record.name);
}
