import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { PROGRESS_COLUMNS, progressLine, progressWriter } from '../../cli/render/rehearsal-progress';
import { PHASE_NAMES, SHIFT_PHASE } from '../../domain/progress/phase-tracker';
import type { RehearsalProgress } from '../../local/rehearsal/run-rehearsal';
import { captureIo } from '../support/capture-io';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

function progress(phase: string, overrides: Partial<RehearsalProgress> = {}): RehearsalProgress {
  return {
    phase,
    weights: { blue: 50, green: 50 },
    rps: 300,
    failed: 0,
    p99Ms: 12,
    lagBytes: 16_000,
    elapsedSeconds: 42,
    ...overrides,
  };
}

/** The widest each field can get. */
const WORST: Partial<RehearsalProgress> = {
  weights: { blue: 0, green: 100 },
  rps: 123_456_789,
  failed: 987_654_321,
  p99Ms: 98_765_432,
  lagBytes: 9_876_543_210_987,
  elapsedSeconds: 3_599_999,
};

const printedPhases = PHASE_NAMES.map((name) => (name === SHIFT_PHASE ? 'shift-99' : name));

describe('the progress line', () => {
  it.each(printedPhases)('fits 80 columns in phase %s, however large the figures', (phase) => {
    for (const figures of [{}, WORST, { lagBytes: undefined, p99Ms: 999.6, rps: 9999.4, failed: 999_499 }]) {
      const line = progressLine(progress(phase, figures));
      expect(line.length).toBeLessThanOrEqual(PROGRESS_COLUMNS);
      // Nothing was cut: the phase and the last field are whole.
      expect(line).toContain(` ${phase} `);
      expect(line).toMatch(/ lag (-|\d+(B|kB|MB|GB))$/);
    }
  });

  it('reads as the README shows it', () => {
    const line = progressLine(progress('shift-3'));
    expect(line).toBe('  42s shift-3          green  50%  300 req/s 0 failed p99 12ms lag 16kB');
    expect(README.split('\n')).toContain(line);
  });

  it('shows large figures with a unit', () => {
    const line = progressLine(progress('database-switch', WORST));
    expect(line).toBe(' 999h database-switch  green 100% 123M req/s 988M failed p99 9999s lag 999GB');
    expect(progressLine(progress('deploy', { elapsedSeconds: 10_000 }))).toMatch(/^2h46m deploy /);
  });

  it('uses the phase names the README lists', () => {
    const table = README.slice(README.indexOf('| phase | what runs'));
    for (const name of PHASE_NAMES) {
      expect(table).toContain(name === SHIFT_PHASE ? '`shift-1` … `shift-N`' : `| \`${name}\` |`);
    }
  });
});

describe('progress output', () => {
  const phases = [
    'starting',
    'validate',
    'validate',
    'preflight',
    'shift-1',
    'shift-1',
    'shift-1',
    'finalize',
  ];

  it('without a terminal, writes one line per phase and no carriage return', () => {
    const written: string[] = [];
    const writer = progressWriter({ isTTY: false, write: (text) => written.push(text) });
    phases.forEach((phase, i) => writer.onProgress(progress(phase, { elapsedSeconds: i })));
    writer.finish();
    const text = written.join('');
    expect(text).not.toContain('\r');
    expect(text).not.toContain('\u001b');
    const lines = text.split('\n').filter(Boolean);
    expect(lines.map((line) => line.split(/\s+/)[2])).toEqual([
      'starting',
      'validate',
      'preflight',
      'shift-1',
      'finalize',
    ]);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('on a terminal, redraws one line at most every 200 ms and ends it once', () => {
    const written: string[] = [];
    let now = 0;
    const writer = progressWriter({ isTTY: true, write: (text) => written.push(text) }, () => now);
    phases.forEach((phase) => {
      writer.onProgress(progress(phase));
      now += 100;
    });
    writer.finish();
    const redraws = written.slice(0, -1);
    expect(redraws).toHaveLength(phases.length / 2);
    for (const redraw of redraws) {
      expect(redraw.startsWith('\r\u001b[K')).toBe(true);
      expect(redraw).not.toContain('\n');
    }
    expect(written.at(-1)).toBe('\n');
  });
});

describe('cutover rehearse --help', () => {
  it('documents the exit codes 0, 1, 2 and 3', async () => {
    const io = captureIo();
    expect(await main(['rehearse', '--help'], io)).toBe(0);
    expect(io.stdout).toMatch(/^ {2}0 {2}completed with zero downtime/m);
    expect(io.stdout).toMatch(/^ {2}1 {2}the cutover rolled back or failed/m);
    expect(io.stdout).toMatch(/^ {2}2 {2}invalid input/m);
    expect(io.stdout).toMatch(/^ {2}3 {2}completed, but not with zero downtime/m);
  });
});
