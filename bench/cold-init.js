// Runs in a fresh Node process (spawned by bench/lambda-bundle.ts): times requiring the Lambda bundle,
// the work a cold start does before the first invocation. Prints one JSON line.
//   node cold-init.js cold  <bundle>                   require the bundle
//   node cold-init.js split <bundle> <sdk modules>     require the external @aws-sdk/* modules first, then the bundle
const startedAt = process.hrtime.bigint();
const { performance } = require('node:perf_hooks');
const bootMs = performance.now(); // since the process started: Node's own start-up, before this script
const { createRequire } = require('node:module');

const [mode, bundle, sdkModulesJson = '[]'] = process.argv.slice(2);
const sdkModules = JSON.parse(sdkModulesJson);
// Resolve modules as the bundle does, so the bundle's own require() finds the same cached module.
const requireAsBundle = createRequire(bundle);
const since = (from) => Number(process.hrtime.bigint() - from) / 1e6;
const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** The @aws-sdk packages in the module cache (loaded by requiring the bundle, in `cold` mode). */
function loadedSdkPackages() {
  const names = Object.keys(require.cache)
    .map((file) => /node_modules\/(@aws-sdk\/[^/]+)\//.exec(file)?.[1])
    .filter((name) => name !== undefined);
  return [...new Set(names)].sort();
}

async function main() {
  if (mode === 'cold') {
    requireAsBundle(bundle);
    const requireMs = since(startedAt);
    const sinceProcessStartMs = performance.now();
    print({ bootMs, requireMs, sinceProcessStartMs, sdkPackagesLoaded: loadedSdkPackages() });
  } else if (mode === 'split') {
    const sdkMs = {};
    const sdkStart = process.hrtime.bigint();
    for (const name of sdkModules) {
      const start = process.hrtime.bigint();
      requireAsBundle(name);
      sdkMs[name] = since(start);
    }
    const sdkTotalMs = since(sdkStart);
    const ownStart = process.hrtime.bigint();
    requireAsBundle(bundle);
    print({ sdkMs, sdkTotalMs, ownMs: since(ownStart) });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
