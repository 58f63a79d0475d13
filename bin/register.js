// Lets Node 24 run the TypeScript sources directly (the CLI, the CDK app, benchmarks).
const { registerHooks } = require('node:module');
const { join } = require('node:path');

// middy 7 publishes only an "import" export; Node 24 can require() ES modules, given that condition.
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (!specifier.startsWith('@middy/')) return nextResolve(specifier, context);
    return nextResolve(specifier, { ...context, conditions: ['import', ...context.conditions] });
  },
});
// tsconfig.json maps @middy/core to its type declarations for the type checker; tsx must not follow that.
process.env.TSX_TSCONFIG_PATH ??= join(__dirname, '..', 'tsconfig.runtime.json');
require('tsx/cjs/api').register();
