import type { Node } from 'constructs';
import * as z from 'zod';
import { contextIssue } from '../context-values';

/** cdk.json context key listing the environments, lowest first (promotion goes down the list). */
export const ENVIRONMENTS_CONTEXT = 'cutover:environments';

const positiveInt = z.number().int().positive();
/** CloudWatch Logs' accepted retention periods, in days. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
const retentionDays = z.number().refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), {
  message: `expected one of CloudWatch Logs' retention periods: ${RETENTION_DAYS.join(', ')}`,
});

const limitsSchema = z.strictObject({
  /** Largest volume or database storage, in GB. */
  maxStorageGb: positiveInt,
  /** Database instance classes allowed, e.g. "db.t4g.micro". */
  instanceClasses: z.array(z.string().regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/)).min(1),
  maxTaskCpu: positiveInt,
  maxTaskMemoryMiB: positiveInt,
  /** Largest task count, including the autoscaling ceiling. */
  maxDesiredCount: positiveInt,
  logRetentionDays: z.strictObject({ min: positiveInt, max: positiveInt }),
});

const platformSchema = z.strictObject({
  image: z.string().min(1),
  containerPort: positiveInt.optional(),
  healthCheckPath: z.string().optional(),
  cpu: positiveInt.optional(),
  memoryMiB: positiveInt.optional(),
  desiredCount: positiveInt.optional(),
  maxCount: positiveInt.optional(),
  natGateways: z.number().int().nonnegative().optional(),
  logRetentionDays: retentionDays,
  database: z.strictObject({
    instanceClass: z.string().regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'expected e.g. "db.t4g.micro"'),
    allocatedStorageGb: positiveInt,
    multiAz: z.boolean(),
    backupRetentionDays: positiveInt.optional(),
    deletionProtection: z.boolean().optional(),
  }),
});

const regionSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'expected a region such as "eu-west-1"'),
  /** Named explicitly so synth needs no lookup (and no credentials). */
  availabilityZones: z.array(z.string().regex(/^[a-z]{2}-[a-z-]+-\d[a-z]$/)).min(2),
  /** The load balancer's ACM certificate in this region. */
  certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/),
});

const environmentSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, 'expected lowercase letters, digits and "-"'),
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id'),
  regions: z.array(regionSchema).min(1),
  platform: platformSchema,
  limits: limitsSchema,
});

export type GuardrailLimits = z.infer<typeof limitsSchema>;
export type PlatformSettings = z.infer<typeof platformSchema>;
export type RegionSettings = z.infer<typeof regionSchema>;
export type EnvironmentConfig = z.infer<typeof environmentSchema>;

const environmentsSchema = z.array(environmentSchema).superRefine((environments, context) => {
  const seen = new Set<string>();
  environments.forEach((environment, index) => {
    if (seen.has(environment.name)) {
      context.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `"${environment.name}" is listed twice`,
      });
    }
    seen.add(environment.name);
    const { min, max } = environment.limits.logRetentionDays;
    if (min > max) {
      context.addIssue({
        code: 'custom',
        path: [index, 'limits', 'logRetentionDays'],
        message: `min ${min} is over max ${max}`,
      });
    }
    environment.regions.forEach((region, r) => {
      const outside = region.availabilityZones.find((zone) => !zone.startsWith(region.region));
      if (outside) {
        context.addIssue({
          code: 'custom',
          path: [index, 'regions', r, 'availabilityZones'],
          message: `${outside} is not in ${region.region}`,
        });
      }
    });
  });
});

/** The environments from cdk.json context, lowest first; [] when none are configured. */
export function parseEnvironments(value: unknown): EnvironmentConfig[] {
  if (value === undefined) return [];
  const parsed = environmentsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(parsed.error.issues.map((issue) => contextIssue(ENVIRONMENTS_CONTEXT, issue)).join('\n'));
}

export function readEnvironments(node: Node): EnvironmentConfig[] {
  return parseEnvironments(node.tryGetContext(ENVIRONMENTS_CONTEXT));
}
