import type { CommandRunner } from '../../ports/command-runner';
import type { Notifier } from '../../ports/notifier';
import type { RunbookAudit } from '../../ports/runbook-audit';
import type { TargetResolver } from '../../ports/runbook-targets';

/** Everything a runbook workflow step may touch. */
export interface RunbookPorts {
  readonly targets: TargetResolver;
  readonly commands: CommandRunner;
  readonly audit: RunbookAudit;
  readonly notifier: Notifier;
  readonly now: () => Date;
}
