import { combineOutcomes, type ProbeOutcome } from '../domain/health/verdict';
import type { HealthProbe, ProbeResult } from '../ports/health-probe';

export interface ProbeRound {
  readonly outcome: ProbeOutcome;
  readonly results: readonly ProbeResult[];
}

/** Runs every probe once, in parallel; a probe that throws counts as unhealthy. */
export async function probeRound(probes: readonly HealthProbe[], signal?: AbortSignal): Promise<ProbeRound> {
  const results = await Promise.all(
    probes.map((probe) =>
      probe.check(signal).catch((error: unknown): ProbeResult => ({
        probe: probe.name,
        outcome: 'unhealthy',
        detail: error instanceof Error ? error.message : String(error),
      })),
    ),
  );
  return { outcome: combineOutcomes(results.map((r) => r.outcome)), results };
}

export function describeRound(round: ProbeRound): string {
  return round.results
    .filter((r) => r.outcome !== 'healthy')
    .map((r) => `${r.probe}: ${r.outcome} (${r.detail})`)
    .join('; ');
}
