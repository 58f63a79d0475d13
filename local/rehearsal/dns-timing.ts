import { databaseEndpoint } from '../../domain/context/resolve-context';
import type { Plan } from '../../domain/plan/schema';
import { Timing } from '../../domain/schedule/timing';

/** How DNS behaves on the local platform. */
export interface DnsTiming {
  /** How long a change of the weighted records takes to be served. */
  readonly recordPropagationMs: number;
  /** How long a change of the database endpoint record takes to be served (Route 53: until INSYNC). */
  readonly endpointPropagationMs: number;
  /** How long an app uses an answer for the endpoint before asking again (its TTL). */
  readonly endpointTtlMs: number;
  /**
   * Whether the resolver the apps ask caches the endpoint's answer for its TTL, as a VPC resolver does.
   * When not, an app that asks again early (after a failed query) gets the change at once.
   */
  readonly resolverCaches: boolean;
}

/** How long a Route 53 change takes to propagate in a rehearsal, before time scaling. */
const SCALED_PROPAGATION_SECONDS = 5;
/** A TTL of 0 still leaves an app a moment between two lookups. */
const MIN_TTL_MS = 50;

/**
 * The default: DNS at the rehearsal's pace. Every change propagates in 5 s × the time scale, the
 * endpoint's TTL is the time-scaled plan's, and apps that fail ask the name servers again at once.
 */
export function scaledDnsTiming(scaledPlan: Plan, timeScale: number): DnsTiming {
  const propagationMs = SCALED_PROPAGATION_SECONDS * 1000 * timeScale;
  return {
    recordPropagationMs: propagationMs,
    endpointPropagationMs: propagationMs,
    endpointTtlMs: ttlMs(scaledPlan),
    resolverCaches: false,
  };
}

/**
 * The database endpoint's switch as on AWS (`cutover rehearse --real-dns-timing`): the change is served
 * once Route 53 reports it INSYNC, which AWS documents as within 60 s, and the apps' resolver keeps the
 * old answer for the plan's TTL, unscaled. The weighted records' steps keep the rehearsal's pace.
 * @param plan the plan as written, not time-scaled
 * @param insyncSeconds how long the change takes to be INSYNC @default Route 53's bound, 60 s
 */
export function awsDnsTiming(
  plan: Plan,
  timeScale: number,
  insyncSeconds: number = Timing.route53InSync.worst,
): DnsTiming {
  return {
    recordPropagationMs: SCALED_PROPAGATION_SECONDS * 1000 * timeScale,
    endpointPropagationMs: insyncSeconds * 1000,
    endpointTtlMs: ttlMs(plan),
    resolverCaches: true,
  };
}

function ttlMs(plan: Plan): number {
  return Math.max(MIN_TTL_MS, (databaseEndpoint(plan)?.ttl ?? 1) * 1000);
}

/** An answer looked up at most once per `ttlMs`, like a caching resolver's. */
export function cachedAnswer<T>(lookUp: () => T, ttlMs: number, now: () => number = Date.now): () => T {
  let cached: { readonly value: T; readonly at: number } | undefined;
  return () => {
    const at = now();
    if (!cached || at - cached.at >= ttlMs) cached = { value: lookUp(), at };
    return cached.value;
  };
}
