import { validateRunbook } from '../../../domain/runbook/validate';
import type { Runbook } from '../../../domain/runbook/schema';

/** A runbook of one step, on this host. */
export function oneStepRunbook(step: Record<string, unknown>, extra: Record<string, unknown> = {}): Runbook {
  return validateRunbook({
    name: String(step['script']),
    targets: { kind: 'instances', tags: { role: 'test' } },
    steps: [step],
    ...extra,
  });
}
