// Plain JavaScript that any Node runs, checked before anything that needs Node ≥ 22.15 (module.registerHooks).
const MINIMUM = [22, 15];

/** One line saying what to do when this Node is too old for cutover, or undefined when it will do. */
function nodeVersionProblem(version) {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1])) return undefined;
  return (
    `cutover needs Node.js ${MINIMUM.join('.')} or newer, and this is ${version}: ` +
    'run `npm ci` first (it installs the Node 24 the project runs on), or use Node 22.15 or newer'
  );
}

module.exports = { nodeVersionProblem };
