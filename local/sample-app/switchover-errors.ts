const READ_ONLY_SQL_TRANSACTION = '25006';
/** admin_shutdown, crash_shutdown, cannot_connect_now: the server ended or refused the session. */
const SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03']);
/** Class 08: connection exceptions. */
const CONNECTION_EXCEPTION_CLASS = '08';
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

/**
 * Whether a query failed because the database is being switched over (writes frozen, sessions ended,
 * server unreachable), so the same query may succeed once the name resolves to the new database.
 */
export function isSwitchoverError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined) {
    if (code === READ_ONLY_SQL_TRANSACTION || SHUTDOWN_CODES.has(code) || NETWORK_CODES.has(code))
      return true;
    if (code.startsWith(CONNECTION_EXCEPTION_CLASS) && code.length === 5) return true;
  }
  // pg reports a socket closed under it, and a pool used after it was ended, without a code.
  return (
    error.message.startsWith('Connection terminated') ||
    error.message.startsWith('Cannot use a pool after calling end') ||
    error.message.endsWith('is not queryable')
  );
}
