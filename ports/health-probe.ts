/** One probe's reading. `inconclusive` means "no evidence" (e.g. INSUFFICIENT_DATA): it never promotes. */
export type ProbeOutcome = 'healthy' | 'unhealthy' | 'inconclusive';

export interface ProbeResult {
  readonly probe: string;
  readonly outcome: ProbeOutcome;
  readonly detail: string;
}

export interface HealthProbe {
  /** A short, log-safe name, e.g. "http https://green.example.com/healthz". */
  readonly name: string;
  check(signal?: AbortSignal): Promise<ProbeResult>;
}
