import type { ProbeSpec } from '../domain/context/execution-context';
import type { Deployer, DeploymentStatus } from '../ports/deployer';
import { describeRound, probeRound } from './probe-round';
import type { Ports } from './ports';

/**
 * `deploy: none`: green is already running, so deploying means checking it answers. Not healthy yet
 * is "in progress" (the workflow polls again) rather than a failure.
 */
export function verifyOnlyDeployer(
  ports: Pick<Ports, 'healthProbes'>,
  probes: readonly ProbeSpec[],
): Deployer {
  const status = async (signal?: AbortSignal): Promise<DeploymentStatus> => {
    const round = await probeRound(ports.healthProbes(probes), signal);
    if (round.outcome === 'unhealthy') return { state: 'in_progress', reason: describeRound(round) };
    return { state: 'complete' };
  };
  return { start: status, status };
}
