import { hasEndpoint } from './endpoint';
import { durationSeconds } from '../duration';
import type { Plan } from './schema';

/**
 * The same plan, run faster, for rehearsals: every pacing duration (bakes, probe interval, timeouts)
 * and TTL multiplied by `factor`. TTLs stay whole seconds (at least 1 unless 0). Safety bounds that
 * are about real systems — latency budgets, the longest write freeze — keep their values.
 */
export function scalePlanTime(plan: Plan, factor: number): Plan {
  if (!(factor > 0 && factor <= 1)) throw new RangeError(`time scale must be in (0, 1], got ${factor}`);
  const scaled = (text: string) => `${Math.max(1, Math.round(durationSeconds(text) * factor * 1000))}ms`;
  const ttl = (seconds: number) => (seconds === 0 ? 0 : Math.max(1, Math.round(seconds * factor)));
  const db = plan.database;
  return {
    ...plan,
    dns: { records: plan.dns.records.map((r) => ({ ...r, ttl: ttl(r.ttl) })) },
    deploy:
      plan.deploy.kind === 'none' ? plan.deploy : { ...plan.deploy, timeout: scaled(plan.deploy.timeout) },
    health: { ...plan.health, interval: scaled(plan.health.interval) },
    traffic: {
      ...plan.traffic,
      bake: scaled(plan.traffic.bake),
      decisionTimeout: scaled(plan.traffic.decisionTimeout),
    },
    database:
      db.kind === 'none'
        ? db
        : {
            ...db,
            approvalTimeout: scaled(db.approvalTimeout),
            catchUpTimeout: scaled(db.catchUpTimeout),
            ...(hasEndpoint(db) ? { endpoint: { ...db.endpoint, ttl: ttl(db.endpoint.ttl) } } : {}),
          },
  };
}
