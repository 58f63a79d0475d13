import type { Construct } from 'constructs';
import type { EnvironmentConfig } from './environments';
import { PlatformStage, platformStageId } from './platform-stage';

/** One platform stage per environment and region. */
export function addPlatformStages(
  scope: Construct,
  environments: readonly EnvironmentConfig[],
): PlatformStage[] {
  return environments.flatMap((environment) =>
    environment.regions.map(
      (_, regionIndex) =>
        new PlatformStage(scope, platformStageId(environment, regionIndex), { environment, regionIndex }),
    ),
  );
}
