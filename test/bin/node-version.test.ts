import { nodeVersionProblem } from '../../bin/node-version';

describe('nodeVersionProblem', () => {
  it.each(['20.20.2', '22.14.0', '18.0.0'])(
    'fails on Node %s with one line that says to run npm ci',
    (version) => {
      const problem = nodeVersionProblem(version);
      expect(problem).toBe(
        `cutover needs Node.js 22.15 or newer, and this is ${version}: run \`npm ci\` first (it installs the Node 24 the project runs on), or use Node 22.15 or newer`,
      );
      expect(problem).not.toContain('\n');
    },
  );

  it.each(['22.15.0', '23.0.0', '24.21.0'])('accepts Node %s', (version) => {
    expect(nodeVersionProblem(version)).toBeUndefined();
  });
});
