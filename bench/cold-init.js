// Runs in a fresh Node process (spawned by bench/lambda-bundle.ts): times requiring the Lambda bundle,
// the work a cold start does before the first invocation. Prints one JSON line.
//   node cold-init.js cold  <bundle>                   require the bundle
//   node cold-init.js split <bundle> <sdk modules>     require the external @aws-sdk/* modules first, then the bundle
//   node cold-init.js lazy  <bundle> <sdk modules> <event>  which SDK clients exist after init, and after one invocation
const startedAt = process.hrtime.bigint();
const { performance } = require('node:perf_hooks');
const bootMs = performance.now(); // since the process started: Node's own start-up, before this script
const { createRequire } = require('node:module');

const [mode, bundle, sdkModulesJson = '[]', eventJson = '{}'] = process.argv.slice(2);
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

/** Replaces every exported `…Client` class of the SDK modules with a proxy recording each construction. */
function countClientConstructions(constructed) {
  for (const name of sdkModules) {
    const exports = requireAsBundle(name);
    for (const [key, value] of Object.entries(exports)) {
      if (!key.endsWith('Client') || typeof value !== 'function') continue;
      exports[key] = new Proxy(value, {
        construct(target, args, newTarget) {
          constructed.push(key);
          return Reflect.construct(target, args, newTarget);
        },
      });
    }
  }
}

function lambdaContext() {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'cutover-validate-plan',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:cutover-validate-plan',
    memoryLimitInMB: '256',
    awsRequestId: 'bench',
    logGroupName: '/bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 120_000,
  };
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
  } else if (mode === 'lazy') {
    const constructed = [];
    countClientConstructions(constructed);
    const handlers = requireAsBundle(bundle);
    const atInit = [...constructed];
    const firstStart = process.hrtime.bigint();
    await handlers.validatePlan(JSON.parse(eventJson), lambdaContext());
    const firstInvokeMs = since(firstStart);
    const afterFirstInvoke = [...constructed];
    const secondStart = process.hrtime.bigint();
    await handlers.validatePlan(JSON.parse(eventJson), lambdaContext());
    print({ atInit, afterFirstInvoke, firstInvokeMs, secondInvokeMs: since(secondStart) });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
