#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so `npx cutover` needs no build step.
require('tsx/cjs/api').register();
const { main } = require('../cli/main.ts');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
