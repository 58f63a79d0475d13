/** A script's JSON result in a few words: what it changed, or would change in a dry run. */
export function summarizeResult(result: unknown): string | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const r = result as Record<string, unknown>;
  const status = String(r['status'] ?? 'unknown');
  if (status === 'skipped' || status === 'failed' || status === 'escalated') {
    return `${status}: ${String(r['reason'] ?? r['error'] ?? r['escalate'] ?? '')}`.trimEnd();
  }
  const count = (key: string) => (Array.isArray(r[key]) ? (r[key] as unknown[]).length : 0);
  switch (r['runbook']) {
    case 'free-disk-caches': {
      const wrote = (r['wrote'] ?? r['wouldWrite']) as { value?: string } | undefined;
      const verb = r['wrote'] ? 'wrote' : 'would write';
      return `${verb} ${wrote?.value?.trim() ?? '?'} to drop_caches${typeof r['freedKiB'] === 'number' ? `, ${r['freedKiB']} KiB freed` : ''}`;
    }
    case 'reap-zombies':
      return r['dryRun']
        ? `${count('zombiesBefore')} zombies; would signal ${count('signalled')} and terminate ${count('wouldTerminate')} parents`
        : `${count('reaped')} of ${count('zombiesBefore')} zombies reaped; ${count('terminated')} parents terminated`;
    case 'clean-tmp-and-logs':
      return r['dryRun']
        ? `would delete ${String(r['wouldDeleteCount'])} files, ${String(r['wouldFreeBytes'])} bytes`
        : `deleted ${String(r['deletedCount'])} files, ${String(r['bytesFreed'])} bytes freed`;
    case 'restart-unhealthy-service':
      if (r['restarted'])
        return `restarted ${String(r['service'])} (${String(r['restartsLastHour'])} this hour)`;
      return r['wouldRestart'] ? `would restart ${String(r['service'])}` : `${String(r['service'])} healthy`;
    default:
      return status;
  }
}
