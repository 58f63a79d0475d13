import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** A relative import that reaches into one of these top-level folders, from any depth. */
const intoFolders = (folders, why) => ({
  regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`,
  message: why,
});
const SDKS = [
  '@aws-sdk/*',
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'constructs',
  '@middy/*',
  '@aws-lambda-powertools/*',
  'pg',
];

/**
 * The layers (see DESIGN.md), enforced: the domain imports nothing outside itself; the workflow and
 * the ports never reach adapters, infrastructure, handlers, the CLI or the local platform; the operator
 * API never reaches the infrastructure, the CLI or the local platform; the infrastructure never reaches
 * the CLI or the local platform.
 */
export const layerRules = [
  {
    // The web console's script runs in the browser, as a classic script.
    files: ['operator-api/console/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, uPlot: 'readonly' } },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: SDKS,
              message: 'domain/ is pure: no AWS SDK, CDK, middy, Powertools or database driver.',
            },
            intoFolders(
              [
                'adapters',
                'bench',
                'bin',
                'cli',
                'lambdas',
                'lib',
                'local',
                'operations',
                'ports',
                'runbooks',
                'scripts',
                'state-machines',
                'test',
                'workflow',
              ],
              'domain/ imports nothing outside itself.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['workflow/**/*.ts', 'ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: SDKS, message: 'workflow/ and ports/ speak through ports, never to an SDK.' },
            intoFolders(
              ['adapters', 'cli', 'lambdas', 'lib', 'local'],
              'workflow/ and ports/ must not import adapters/, lib/, lambdas/, cli/ or local/.',
            ),
          ],
        },
      ],
    },
  },
  {
    // The operator API runs in a Lambda function: no CDK, no CLI, no local platform in its bundle.
    files: ['operator-api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            intoFolders(['cli', 'lib', 'local'], 'operator-api/ must not import cli/, lib/ or local/.'),
          ],
        },
      ],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [intoFolders(['cli', 'local'], 'lib/ must not import cli/ or local/.')] },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'test/fixtures/layers/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        AbortController: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layerRules,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
);
