import type { EnvironmentConfig } from '../../../lib/platform/environments';

/** A small environment: one region, the sizes of a dev platform. */
export function devEnvironment(overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return {
    name: 'dev',
    account: '111111111111',
    regions: [
      {
        region: 'eu-west-1',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
      },
    ],
    platform: {
      image: 'public.ecr.aws/nginx/nginx:1.27',
      cpu: 256,
      memoryMiB: 512,
      desiredCount: 1,
      maxCount: 2,
      logRetentionDays: 30,
      database: { instanceClass: 'db.t4g.micro', allocatedStorageGb: 20, multiAz: false },
    },
    limits: {
      maxStorageGb: 100,
      instanceClasses: ['db.t4g.micro'],
      maxTaskCpu: 512,
      maxTaskMemoryMiB: 1024,
      maxDesiredCount: 2,
      logRetentionDays: { min: 7, max: 90 },
    },
    ...overrides,
  };
}
