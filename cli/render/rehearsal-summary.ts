import type { RehearsalReport } from '../../local/rehearsal/rehearsal-report';
import { svgBeside } from '../report-path';

/** What `cutover rehearse` prints when the rehearsal has ended. */
export function summary(report: RehearsalReport): string {
  const ms = (n: number) => `${Math.round(n)} ms`;
  const lines = [
    `rehearsal of ${report.plan}: ${report.outcome}${report.cause ? ` (${report.cause})` : ''}`,
    `  traffic: blue ${report.finalWeights.blue} % / green ${report.finalWeights.green} %`,
    `  requests: ${report.requests.total} sent, ${report.requests.failed} failed (blue ${report.requests.byTarget.blue.failed}, green ${report.requests.byTarget.green.failed})`,
    `  latency: p50 ${ms(report.latencyMs.p50)}, p99 ${ms(report.latencyMs.p99)} (before ${ms(report.p99BeforeMs)}, during ${ms(report.p99DuringMs)}), max ${ms(report.latencyMs.max)}`,
    `  zero downtime: ${zeroDowntimeText(report)}`,
    `  longest write stall: ${ms(report.writeStallMs)}; data check: ${report.dataCheck.rowsCompared} rows in ${report.dataCheck.tables} table(s), ${report.dataCheck.chunks} chunks, ${report.dataCheck.mismatches} mismatch(es)`,
  ];
  if (report.rollback)
    lines.push(`  rolled back in ${report.rollback.seconds.toFixed(2)} s: ${report.rollback.reason}`);
  if (report.dns.mode === 'aws')
    lines.push(
      `  DNS as on AWS: the database endpoint served ${ms(report.dns.endpointPropagationMs)} after its change (INSYNC), then cached for its TTL (${ms(report.dns.endpointTtlMs)})`,
    );
  lines.push(`  ${report.transitions} state transitions, ${report.durationSeconds.toFixed(0)} s`);
  return lines.join('\n');
}

function zeroDowntimeText(report: RehearsalReport): string {
  if (report.zeroDowntime) return 'yes';
  const why = [
    ...(report.requests.failed > 0 ? [`${report.requests.failed} failed request(s)`] : []),
    ...(report.writeStallMs > report.maxWriteStallMs
      ? [
          `writes stalled ${Math.round(report.writeStallMs)} ms, over maxWriteFreeze (${report.maxWriteStallMs} ms)`,
        ]
      : []),
  ];
  return `no (${why.join('; ')})`;
}

/** The summary's last line: where the report went. */
export function reportLocation(file: string | undefined): string {
  return file
    ? `  report: ${file} (picture: ${svgBeside(file)})`
    : '  report: not written (--report <file> writes it)';
}
