#!/usr/bin/env node
const problem = require('./node-version').nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}
require('./register');
const { main } = require('../cli/main.ts');

// Ctrl-C stops a rehearsal cleanly (no process or temp directory left); a second Ctrl-C forces it.
const interrupted = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\ninterrupted: cleaning up (Ctrl-C again to force)\n');
  interrupted.abort();
  process.once('SIGINT', () => process.exit(130));
});

main(process.argv.slice(2), undefined, interrupted.signal).then((code) => {
  process.exitCode = interrupted.signal.aborted ? 130 : code;
});
