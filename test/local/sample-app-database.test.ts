import type { ConnectionInfo } from '../../local/postgres-pair';
import { DatabaseResolver } from '../../local/sample-app/database-resolver';
import { DatabaseUnavailableError, RetryingDatabase } from '../../local/sample-app/retrying-database';
import { isSwitchoverError } from '../../local/sample-app/switchover-errors';
import { WriteStalls } from '../../local/sample-app/write-stalls';

const connection = (port: number): ConnectionInfo => ({
  host: '127.0.0.1',
  port,
  user: 'postgres',
  password: 'secret',
  database: 'shop',
});
const BLUE = connection(5001);
const GREEN = connection(5002);

const pgError = (code: string, message = 'database error'): Error =>
  Object.assign(new Error(message), { code });

describe('isSwitchoverError', () => {
  it.each([
    ['a write on a frozen database', pgError('25006', 'cannot execute INSERT in a read-only transaction')],
    ['a terminated session', pgError('57P01', 'terminating connection due to administrator command')],
    ['a server starting up', pgError('57P03')],
    ['a connection exception', pgError('08006')],
    ['a reset socket', pgError('ECONNRESET')],
    ['a refused connection', pgError('ECONNREFUSED')],
    ['a socket closed under the client', new Error('Connection terminated unexpectedly')],
    ['a broken client', new Error('Client has encountered a connection error and is not queryable')],
  ])('retries %s', (_, error) => {
    expect(isSwitchoverError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a syntax error', pgError('42601')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a string', 'Connection terminated'],
  ])('does not retry %s', (_, error) => {
    expect(isSwitchoverError(error)).toBe(false);
  });
});

describe('DatabaseResolver', () => {
  function resolverOver(answers: ConnectionInfo[]): {
    resolver: DatabaseResolver;
    clock: { now: number };
    asked: () => number;
  } {
    const clock = { now: 0 };
    let asked = 0;
    const resolver = new DatabaseResolver({
      resolve: async () => answers[Math.min(asked++, answers.length - 1)] as ConnectionInfo,
      ttlMs: 1000,
      now: () => clock.now,
    });
    return { resolver, clock, asked: () => asked };
  }

  it('uses an answer for its TTL, then asks again', async () => {
    const { resolver, clock, asked } = resolverOver([BLUE, GREEN]);
    expect(await resolver.current()).toEqual(BLUE);
    clock.now = 999;
    expect(await resolver.current()).toEqual(BLUE);
    clock.now = 1000;
    expect(await resolver.current()).toEqual(GREEN);
    expect(asked()).toBe(2);
  });

  it('asks again early after a failure, but at most every 50 ms', async () => {
    const { resolver, clock, asked } = resolverOver([BLUE, BLUE, GREEN]);
    await resolver.current();
    clock.now = 10;
    resolver.invalidate();
    await resolver.current();
    expect(asked()).toBe(1);
    clock.now = 50;
    expect(await resolver.current()).toEqual(BLUE);
    resolver.invalidate();
    clock.now = 100;
    expect(await resolver.current()).toEqual(GREEN);
    expect(asked()).toBe(3);
  });

  it('reports when the name points to another database, so its pool can go', async () => {
    const changes: Array<[number, number]> = [];
    let answer = BLUE;
    const clock = { now: 0 };
    const resolver = new DatabaseResolver({
      resolve: async () => answer,
      ttlMs: 100,
      now: () => clock.now,
      onChange: (previous, next) => changes.push([previous.port, next.port]),
    });
    await resolver.current();
    clock.now = 100;
    await resolver.current();
    answer = GREEN;
    clock.now = 200;
    await resolver.current();
    expect(changes).toEqual([[5001, 5002]]);
  });

  it('watches the name while queries fail, and wakes the queries waiting when it changes', async () => {
    let answer = BLUE;
    const resolver = new DatabaseResolver({ resolve: async () => answer, ttlMs: 60_000, minRefreshMs: 5 });
    await resolver.current();
    resolver.invalidate();
    const change = resolver.whenChanged();
    answer = GREEN;
    const startedAt = Date.now();
    await change.promise;
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(await resolver.current()).toEqual(GREEN);
  });

  it('shares one lookup between concurrent queries', async () => {
    const { resolver, asked } = resolverOver([BLUE]);
    await Promise.all([resolver.current(), resolver.current(), resolver.current()]);
    expect(asked()).toBe(1);
  });
});

const EPOCH = 1_700_000_000_000;

describe('WriteStalls', () => {
  function stalls() {
    const clock = { now: 0 };
    return {
      clock,
      stalls: new WriteStalls(
        () => clock.now,
        () => EPOCH + clock.now,
      ),
    };
  }

  it('spans from the first refused write to the next write that succeeds, give-ups included', () => {
    const { clock, stalls: s } = stalls();
    clock.now = 100;
    s.blocked(90); // a write sent at 90 is refused: writes are blocked from 90
    clock.now = 5_100;
    s.blocked(200); // another one, which gives up later
    clock.now = 61_000;
    s.succeeded(60_500, false); // the first write to get through since
    expect(s.longestMs()).toBe(60_910);
    expect(s.list()).toEqual([{ startedAt: EPOCH + 90, ms: 60_910 }]);
  });

  it('is not closed by a write sent before it opened that was never refused (it committed before the freeze)', () => {
    const { clock, stalls: s } = stalls();
    clock.now = 1000;
    s.blocked(1000);
    clock.now = 1001;
    s.succeeded(999, false);
    clock.now = 1400;
    s.succeeded(1000, true);
    expect(s.list()).toEqual([{ startedAt: EPOCH + 1000, ms: 400 }]);
  });

  it('reports a window still open, up to the last refusal', () => {
    const { clock, stalls: s } = stalls();
    clock.now = 10;
    s.blocked(10);
    clock.now = 2010;
    s.blocked(1500);
    clock.now = 9000; // no write since: nothing was blocked after 2010
    expect(s.longestMs()).toBe(2000);
    expect(s.list()).toEqual([{ startedAt: EPOCH + 10, ms: 2000, ongoing: true }]);
  });

  it('merges a window with a write refused that was sent before the window closed', () => {
    const { clock, stalls: s } = stalls();
    clock.now = 100;
    s.blocked(100);
    clock.now = 1500;
    s.succeeded(1400, false);
    clock.now = 1600;
    s.blocked(120); // sent at 120, refused only now: writes were not through at 1500 after all
    clock.now = 1700;
    s.succeeded(120, true);
    expect(s.list()).toEqual([{ startedAt: EPOCH + 100, ms: 1600 }]);
  });

  it('keeps the longest of several windows', () => {
    const { clock, stalls: s } = stalls();
    for (const [start, end] of [
      [0, 300],
      [1000, 1900],
      [5000, 5100],
    ] as const) {
      clock.now = start;
      s.blocked(start);
      clock.now = end;
      s.succeeded(start, true);
    }
    expect(s.longestMs()).toBe(900);
    expect(s.list().map((w) => w.ms)).toEqual([300, 900, 100]);
  });
});

describe('RetryingDatabase', () => {
  /** A clock that only moves when the database sleeps, and pools named after their target's port. */
  function harness(targets: ConnectionInfo[]) {
    const clock = { now: 0 };
    const sleeps: number[] = [];
    let invalidations = 0;
    let lookups = 0;
    const database = new RetryingDatabase<number>({
      resolver: {
        current: async () => targets[Math.min(lookups++, targets.length - 1)] as ConnectionInfo,
        invalidate: () => {
          invalidations += 1;
        },
      },
      pools: { for: (target) => target.port },
      now: () => clock.now,
      wallClock: () => EPOCH + clock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.now += ms;
      },
    });
    return { database, sleeps, invalidations: () => invalidations };
  }

  it('looks the name up again and retries on the database it resolves to now', async () => {
    const { database, sleeps, invalidations } = harness([BLUE, BLUE, GREEN]);
    const used: number[] = [];
    const id = await database.write(async (pool) => {
      used.push(pool);
      if (pool === BLUE.port) throw pgError('25006');
      return 42;
    });
    expect(id).toBe(42);
    expect(used).toEqual([5001, 5001, 5002]);
    expect(invalidations()).toBe(2);
    expect(sleeps).toEqual([10, 20]);
    expect(database.stats()).toEqual({
      longestWriteStallMs: 30,
      writeStalls: [{ startedAt: EPOCH, ms: 30 }],
      writes: 1,
      reads: 0,
      retries: 2,
    });
  });

  it('does not count a read that retried as a write stall', async () => {
    const { database } = harness([BLUE, GREEN]);
    await database.read(async (pool) => {
      if (pool === BLUE.port) throw pgError('57P01');
      return 'row';
    });
    expect(database.stats()).toEqual({
      longestWriteStallMs: 0,
      writeStalls: [],
      writes: 0,
      reads: 1,
      retries: 1,
    });
  });

  it('fails at once on an error a switchover does not explain', async () => {
    const { database, sleeps } = harness([BLUE]);
    await expect(database.write(() => Promise.reject(pgError('23505', 'duplicate key')))).rejects.toThrow(
      'duplicate key',
    );
    expect(sleeps).toEqual([]);
  });

  it('backs off from 10 ms doubling to 200 ms, and gives up within 5 s', async () => {
    const { database, sleeps } = harness([BLUE]);
    const failure = database.write(() => Promise.reject(new Error('Connection terminated unexpectedly')));
    await expect(failure).rejects.toThrow(DatabaseUnavailableError);
    await expect(failure).rejects.toThrow('the database stayed unavailable for 5000 ms');
    expect(sleeps.slice(0, 7)).toEqual([10, 20, 40, 80, 160, 200, 200]);
    const waited = sleeps.reduce((sum, ms) => sum + ms, 0);
    expect(waited).toBeLessThanOrEqual(5000);
    expect(waited).toBeGreaterThan(4800);
    // Writes are still blocked: the stall is open, as long as the write waited so far.
    expect(database.stats().longestWriteStallMs).toBe(waited);
    expect(database.stats().writeStalls).toEqual([{ startedAt: EPOCH, ms: waited, ongoing: true }]);
  });

  it('ends a backoff early when the name points elsewhere', async () => {
    let wake = (): void => undefined;
    let attempts = 0;
    const database = new RetryingDatabase<number>({
      resolver: {
        current: async () => (attempts === 0 ? BLUE : GREEN),
        invalidate: () => undefined,
        whenChanged: () => ({
          promise: new Promise<void>((resolve) => (wake = resolve)),
          cancel: () => undefined,
        }),
      },
      pools: { for: (target) => target.port },
      // A backoff that never ends on its own.
      sleep: () => new Promise<void>(() => undefined),
    });
    const write = database.write(async (pool) => {
      attempts += 1;
      if (pool === BLUE.port) throw pgError('25006');
      return pool;
    });
    await new Promise((resolve) => setImmediate(resolve));
    wake();
    expect(await write).toBe(GREEN.port);
  });

  it('retries a lookup that failed', async () => {
    let lookups = 0;
    const database = new RetryingDatabase<string>({
      resolver: {
        current: async () => {
          if (lookups++ === 0) throw new Error('the parent did not resolve the database name');
          return GREEN;
        },
        invalidate: () => undefined,
      },
      pools: { for: () => 'green pool' },
      sleep: async () => undefined,
    });
    expect(await database.read(async (pool) => pool)).toBe('green pool');
  });
});
