import type { LockKey } from '../../domain/context/execution-context';
import { contextFields, contextInput } from '../contracts';
import { Needs } from '../access';
import { int, object } from '../input';
import { defineStep } from '../step';

/** Takes the lock on every record, or none: a partial acquisition is released before failing. */
export const acquireLockStep = defineStep({
  name: 'acquire-lock',
  access: [...Needs.acquireLocks],
  input: object({
    ...contextFields,
    lockSeconds: int(1),
  }),
  async run(ports, { context, lockSeconds }, signal) {
    const taken: LockKey[] = [];
    try {
      for (const key of context.lockKeys) {
        await ports.lock.acquire(key, context.execution, lockSeconds, signal);
        taken.push(key);
      }
    } catch (error) {
      await Promise.all(taken.map((key) => ports.lock.release(key, context.execution)));
      throw error;
    }
    return { locked: taken.length };
  },
});

export const releaseLockStep = defineStep({
  name: 'release-lock',
  access: [...Needs.releaseLocks],
  input: contextInput,
  async run(ports, { context }, signal) {
    const keys = context.lockKeys;
    await Promise.all(keys.map((key) => ports.lock.release(key, context.execution, signal)));
    return { released: keys.length };
  },
});
