import type { RehearsalReport } from '../../local/rehearsal/rehearsal-report';

/** A rehearsal that completed with zero downtime: 30,000 requests, none failed, writes stalled 612 ms. */
export const COMPLETED_REHEARSAL: RehearsalReport = {
  plan: 'orders-to-rds',
  outcome: 'completed',
  cause: null,
  finalWeights: { blue: 0, green: 100 },
  requests: {
    total: 30_000,
    failed: 0,
    byTarget: { blue: { total: 20_000, failed: 0 }, green: { total: 10_000, failed: 0 } },
  },
  latencyMs: { p50: 3, p99: 40, max: 900 },
  p99BeforeMs: 30,
  p99DuringMs: 45,
  writeStallMs: 612.4,
  maxWriteStallMs: 10_000,
  zeroDowntime: true,
  rollback: null,
  phases: [],
  transitions: 59,
  dataCheck: { tables: 3, rowsCompared: 240_000, chunks: 12, mismatches: 0 },
  greenDeployments: [],
  faults: [],
  timeScale: 0.05,
  dns: {
    mode: 'scaled',
    recordPropagationMs: 250,
    endpointPropagationMs: 250,
    endpointTtlMs: 1000,
    resolverCaches: false,
  },
  ratePerSecond: 300,
  achievedRatePerSecond: 299,
  durationSeconds: 101,
};
