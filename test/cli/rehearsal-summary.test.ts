import { reportLocation, summary } from '../../cli/render/rehearsal-summary';
import type { RehearsalReport } from '../../local/rehearsal/rehearsal-report';

const REPORT: RehearsalReport = {
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

describe('the rehearsal summary', () => {
  it('says whether the cutover was zero-downtime', () => {
    expect(summary(REPORT)).toContain('\n  zero downtime: yes\n');
    expect(summary(REPORT)).toContain('longest write stall: 612 ms');
  });

  it('says why a completed cutover was not zero-downtime', () => {
    const text = summary({
      ...REPORT,
      requests: { ...REPORT.requests, failed: 7 },
      writeStallMs: 65_300,
      zeroDowntime: false,
    });
    expect(text).toContain(
      'zero downtime: no (7 failed request(s); writes stalled 65300 ms, over maxWriteFreeze (10000 ms))',
    );
  });

  it('says when DNS was timed as on AWS', () => {
    const text = summary({
      ...REPORT,
      dns: {
        ...REPORT.dns,
        mode: 'aws',
        endpointPropagationMs: 60_000,
        endpointTtlMs: 5000,
        resolverCaches: true,
      },
    });
    expect(text).toContain(
      'DNS as on AWS: the database endpoint served 60000 ms after its change (INSYNC), then cached for its TTL (5000 ms)',
    );
    expect(summary(REPORT)).not.toContain('DNS as on AWS');
  });

  it('ends with where the report and its picture were written', () => {
    expect(reportLocation('rehearsal/report.json')).toBe(
      '  report: rehearsal/report.json (picture: rehearsal/report.svg)',
    );
    expect(reportLocation(undefined)).toBe('  report: not written (--report <file> writes it)');
  });
});
