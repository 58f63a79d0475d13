import { reportLocation, summary } from '../../cli/render/rehearsal-summary';
import { COMPLETED_REHEARSAL as REPORT } from '../support/rehearsal-report';

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
