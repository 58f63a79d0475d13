import type { ProbeOutcome } from '../domain/health/verdict';

export type { ProbeOutcome };

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
