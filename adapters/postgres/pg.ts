/**
 * pg's Client and identifier escaping, from their own modules rather than pg's index, which also
 * bundles the connection pool and the native-binding loader: about 16 KB less in every database
 * step's Lambda bundle (see BENCHMARKS.md). Types come from @types/pg (pg-lib.d.ts).
 */
import Client from 'pg/lib/client';
import { escapeIdentifier } from 'pg/lib/utils';

export { Client, escapeIdentifier };
export type { ClientConfig, QueryResultRow } from 'pg';
