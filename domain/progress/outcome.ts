/** How a cutover ended. */
export type CutoverOutcome = 'completed' | 'rolled_back' | 'failed';

/** An execution's final status (and error name, when it failed) → how the cutover ended. */
export function outcomeOf(status: 'SUCCEEDED' | 'FAILED', error: string | undefined): CutoverOutcome {
  if (status === 'SUCCEEDED') return 'completed';
  return error === 'CutoverRolledBack' || error === 'CutoverRestored' ? 'rolled_back' : 'failed';
}
