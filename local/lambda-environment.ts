/**
 * Powertools settings for running the Lambda handlers in this process (tests, rehearsal): no log
 * lines, no EMF metrics on stdout, no X-Ray. Import before the handlers: Powertools reads them once.
 */
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
process.env['POWERTOOLS_TRACE_ENABLED'] ??= 'false';
process.env['POWERTOOLS_METRICS_NAMESPACE'] ??= 'Cutover';
