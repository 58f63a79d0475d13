import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const FIXTURES = join(__dirname, 'fixtures', 'layers');

interface LintResult {
  readonly filePath: string;
  readonly messages: readonly { readonly ruleId: string | null; readonly message: string }[];
}

/** Lints the fixtures with the repository's own eslint config, as if they sat at the repository's root. */
function lintFixtures(): Map<string, string[]> {
  let output: string;
  try {
    output = execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'),
        '--config',
        join(ROOT, 'eslint.config.mjs'),
        '--format',
        'json',
        '.',
      ],
      { cwd: FIXTURES, encoding: 'utf8' },
    );
  } catch (error) {
    output = (error as { stdout: string }).stdout; // eslint exits 1 when it finds errors
  }
  const results = JSON.parse(output) as LintResult[];
  return new Map(
    results.map((r) => [
      r.filePath.slice(FIXTURES.length + 1),
      r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message),
    ]),
  );
}

describe('layer rules', () => {
  const found = lintFixtures();

  it.each([
    ['domain/imports-adapter.ts', 'domain/ imports nothing outside itself.'],
    ['domain/plan/imports-lib.ts', 'domain/ imports nothing outside itself.'],
    ['domain/imports-sdk.ts', 'domain/ is pure'],
    ['workflow/steps/imports-lambdas.ts', 'workflow/ and ports/ must not import'],
    ['ports/imports-adapter.ts', 'workflow/ and ports/ must not import'],
    ['lib/imports-local.ts', 'lib/ must not import cli/ or local/.'],
    ['operator-api/imports-local.ts', 'operator-api/ must not import cli/, lib/ or local/.'],
    ['operator-api/imports-cli.ts', 'operator-api/ must not import cli/, lib/ or local/.'],
  ])('fails when %s', (file, message) => {
    expect(found.get(file)).toEqual([expect.stringContaining(message)]);
  });

  it.each(['domain/plan/imports-domain.ts', 'lib/imports-workflow.ts', 'operator-api/imports-domain.ts'])(
    'allows %s',
    (file) => {
      expect(found.get(file)).toEqual([]);
    },
  );
});
