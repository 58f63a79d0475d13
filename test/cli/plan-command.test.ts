import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../cli/main';
import { captureIo } from '../support/capture-io';
import { EXAMPLES, EXAMPLES_DIR } from '../support/plans';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

describe('cutover plan', () => {
  it('runs the tests on the Lambda runtime’s Node major (24)', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('prints the schedule as a table, one row per phase', async () => {
    const io = captureIo();
    expect(await main(['plan', join(EXAMPLES_DIR, 'app-postgres-logical.yaml')], io)).toBe(0);
    const lines = io.stdout.split('\n');
    expect(lines[0]).toBe('Plan orders-to-rds: 4 shift step(s), 25m17s at the earliest, 3h25m45s at worst');
    expect(lines.find((l) => l.startsWith('4  '))).toMatch(
      /^4 +Shift to 10 % green +10 % +90 \/ 10 +5m +13m30s \/ 1h24m +yes$/,
    );
    expect(lines.find((l) => l.startsWith('8  '))).toMatch(/Switch database.*no: point of no return$/);
  });

  it('prints JSON whose steps end at 100 % green with --json', async () => {
    const io = captureIo();
    expect(await main(['plan', join(EXAMPLES_DIR, 'app-rds-blue-green.yaml'), '--json'], io)).toBe(0);
    const schedule = JSON.parse(io.stdout) as { steps: { greenPercent: number }[] };
    expect(schedule.steps.map((s) => s.greenPercent)).toEqual([25, 50, 75, 100]);
  });

  it('prints a Mermaid graph with rollback and operator edges', async () => {
    const io = captureIo();
    expect(
      await main(['plan', join(EXAMPLES_DIR, 'app-postgres-logical.yaml'), '--format', 'mermaid'], io),
    ).toBe(0);
    expect(io.stdout).toMatch(/^flowchart TD\n/);
    expect(io.stdout).toContain('p6 -. failure .-> rollback');
    expect(io.stdout).toContain('p7 -. failure .-> operator');
  });

  it('fails with exit 2 when the file does not exist', async () => {
    const io = captureIo();
    expect(await main(['plan', 'no-such-plan.yaml'], io)).toBe(2);
    expect(io.stderrLines).toEqual(['plan file "no-such-plan.yaml" does not exist']);
  });

  it('fails with exit 2 on an unknown format', async () => {
    const io = captureIo();
    expect(await main(['plan', join(EXAMPLES_DIR, 'app-canary.yaml'), '--format', 'xml'], io)).toBe(2);
    expect(io.stderr).toContain("argument 'xml' is invalid. Allowed choices are table, json, mermaid.");
  });

  it.each(EXAMPLES)('`npx cutover plan examples/%s --json` exits 0 from a shell', async (file) => {
    const { stdout } = await run('npx', ['cutover', 'plan', `examples/${file}`, '--json'], { cwd: ROOT });
    const steps = (JSON.parse(stdout) as { steps: { greenPercent: number }[] }).steps;
    expect(steps.at(-1)?.greenPercent).toBe(100);
  });
});
