const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Jest starts the longest files first when it has their durations from an earlier run; without them (a
 * fresh clone, CI) it guesses by file size, and the rehearsals, small files that run for minutes, start
 * last and leave the other workers idle at the end. Files without a duration that declare a long
 * `jest.setTimeout` (rehearsals, real servers) go first, longest timeout first; the rest keep Jest's order.
 */
class SlowestFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const failed = sorted.filter((test) => this.hasFailed(test));
    const unknown = sorted.filter((test) => !this.hasFailed(test) && test.duration == null);
    const known = sorted.filter((test) => !this.hasFailed(test) && test.duration != null);
    const declared = new Map(unknown.map((test) => [test, declaredTimeout(test.path)]));
    // Array sort is stable: files with the same timeout keep Jest's order by size.
    return [...failed, ...unknown.sort((a, b) => declared.get(b) - declared.get(a)), ...known];
  }
}

function declaredTimeout(path) {
  const match = /jest\.setTimeout\(([\d_]+)\)/.exec(readFileSync(path, 'utf8'));
  return match ? Number(match[1].replaceAll('_', '')) : 0;
}

module.exports = SlowestFirstSequencer;
