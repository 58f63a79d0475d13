import type { Target } from './load-types';

export interface DnsClientsOptions {
  /** How many virtual clients (resolvers) share the traffic. */
  readonly count: number;
  /** How long each client keeps its answer, like a resolver honouring the record's TTL. */
  readonly ttlMs: number;
  /** One fresh DNS answer, e.g. a weighted random choice over the weights being served. */
  readonly resolve: () => Target;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface DnsClients {
  /** The next client, round-robin, and the side its (possibly cached) answer points to. */
  pick(): Target;
}

/**
 * Clients that cache DNS answers, so traffic follows a weight change only as their caches expire.
 * Each client's first answer expires early by a different fraction of the TTL, so that the clients
 * refresh spread over the TTL instead of all at once.
 */
export function createDnsClients(options: DnsClientsOptions): DnsClients {
  const { count, ttlMs, resolve } = options;
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`count must be a whole number, 1 or more (got ${count})`);
  if (!Number.isFinite(ttlMs) || ttlMs < 0) throw new Error(`ttlMs must be 0 or more (got ${ttlMs})`);
  const now = options.now ?? Date.now;
  const answers: Array<Target | undefined> = new Array<Target | undefined>(count).fill(undefined);
  const expiresAt = new Float64Array(count);
  let next = 0;
  return {
    pick: () => {
      const client = next;
      next = (next + 1) % count;
      const cached = answers[client];
      const at = now();
      if (cached !== undefined && at < (expiresAt[client] ?? 0)) return cached;
      const answer = resolve();
      const lifetime = cached === undefined ? (ttlMs * (client + 1)) / count : ttlMs;
      answers[client] = answer;
      expiresAt[client] = at + lifetime;
      return answer;
    },
  };
}
