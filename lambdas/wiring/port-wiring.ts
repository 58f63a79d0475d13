import type { Ports } from '../../workflow/ports';

export type WiredPort = Exclude<keyof Ports, 'now'>;

/** How a step's Lambda function builds each port it uses; a port it does not list is never built. */
export type PortWiring = { readonly [K in WiredPort]?: () => Ports[K] };

const PORTS: readonly WiredPort[] = [
  'traffic',
  'lock',
  'control',
  'callbacks',
  'notifier',
  'audit',
  'allowedZones',
  'allowedProbeTargets',
  'allowedNotificationTopics',
  'watcherSchedule',
  'finalizeSchedule',
  'healthProbes',
  'deployer',
  'database',
];

/**
 * The ports of one step's Lambda function: each is built (and its SDK client created) on first use,
 * once per container. Using a port the step's entry does not wire is a bug, reported by name.
 */
export function wirePorts(step: string, wiring: PortWiring): Ports {
  const built = new Map<WiredPort, unknown>();
  const ports = { now: () => new Date() };
  for (const name of PORTS) {
    Object.defineProperty(ports, name, {
      enumerable: true,
      get() {
        if (!built.has(name)) {
          const build = wiring[name];
          if (!build)
            throw new Error(
              `step ${step} uses the ${name} port, which lambdas/steps/${step}.ts does not wire`,
            );
          built.set(name, build());
        }
        return built.get(name);
      },
    });
  }
  return ports as Ports;
}
