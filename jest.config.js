/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  // ESM-only packages: map to their entry file and let swc turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleNameMapper: {
    '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js',
    // The Lambda wiring's lazy `import('….js')` of TypeScript sources (ESM-style specifiers).
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // Each workflow definition is synthesized once per run and shared by the files that need it.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/local/lambda-environment.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  testTimeout: 30000,
  // Most of the suite waits on real time (servers starting, bakes, probes) rather than computing, so
  // one worker per core; Jest's default keeps a core for itself, which on 2 cores runs every file in a row.
  maxWorkers: '100%',
  testSequencer: '<rootDir>/test/support/slowest-first-sequencer.js',
};
