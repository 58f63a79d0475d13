import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { captureIo } from '../support/capture-io';

const FIXTURES = join(__dirname, '..', 'fixtures', 'invalid-plans');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'));

/** Each fixture is an operator mistake; its first line says the error line the CLI must print. */
function expectedLine(file: string): string {
  const first = readFileSync(join(FIXTURES, file), 'utf8').split('\n')[0] ?? '';
  const match = /^# expect: (.+)$/.exec(first);
  if (!match?.[1]) throw new Error(`${file} lacks a "# expect: <path>: <message>" first line`);
  return match[1];
}

describe('cutover plan rejects invalid plans', () => {
  it('has at least 25 realistic mistakes to check', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
  });

  it.each(fixtures)('rejects %s with exit 2 and names the field', async (file) => {
    const io = captureIo();
    const code = await main(['plan', join(FIXTURES, file)], io);
    expect(code).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderrLines).toContain(expectedLine(file));
  });
});
