import * as z from 'zod';
import type { Plan } from '../../domain/plan/schema';
import type { LockKey } from '../../ports/migration-lock';
import { stepBase } from '../contracts';
import { defineStep, planOf } from '../step';

/** Every record a plan changes: its weighted pairs and, when it has one, the database endpoint. */
export function lockKeys(plan: Plan): LockKey[] {
  const keys = plan.dns.records.map((r) => ({ hostedZoneId: r.hostedZoneId, recordName: r.name }));
  const db = plan.database;
  if (db.kind === 'postgres-logical' || db.kind === 'rds-read-replica') {
    keys.push({ hostedZoneId: db.endpoint.hostedZoneId, recordName: db.endpoint.name });
  }
  return keys;
}

/** Takes the lock on every record, or none: a partial acquisition is released before failing. */
export const acquireLockStep = defineStep({
  name: 'acquire-lock',
  input: stepBase.extend({ lockSeconds: z.number().int().positive() }),
  async run(ports, input, signal) {
    const taken: ReturnType<typeof lockKeys> = [];
    try {
      for (const key of lockKeys(planOf(input))) {
        await ports.lock.acquire(key, input.execution, input.lockSeconds, signal);
        taken.push(key);
      }
    } catch (error) {
      await Promise.all(taken.map((key) => ports.lock.release(key, input.execution)));
      throw error;
    }
    return { locked: taken.length };
  },
});

export const releaseLockStep = defineStep({
  name: 'release-lock',
  input: stepBase,
  async run(ports, input, signal) {
    const keys = lockKeys(planOf(input));
    await Promise.all(keys.map((key) => ports.lock.release(key, input.execution, signal)));
    return { released: keys.length };
  },
});
