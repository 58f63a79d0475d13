import type { Database } from './schema';

export type DatabaseWithEndpoint = Extract<Database, { readonly endpoint: unknown }>;

/** The kinds of database whose switch repoints an endpoint record (RDS Blue/Green keeps its own). */
export function hasEndpoint(db: Database): db is DatabaseWithEndpoint {
  return db.kind === 'postgres-logical' || db.kind === 'rds-read-replica';
}
