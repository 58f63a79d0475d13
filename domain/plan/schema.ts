import * as z from 'zod';
import {
  CLOUDFORMATION_MAX_PARAMETERS,
  CLOUDFORMATION_PARAMETER_VALUE_MAX_BYTES,
  EXECUTION_TIMEOUT_SECONDS,
  RDS_SWITCHOVER_TIMEOUT_MAX_SECONDS,
  RDS_SWITCHOVER_TIMEOUT_MIN_SECONDS,
} from '../aws-limits';
import { showValue } from '../safe-text';
import {
  dnsName,
  duration,
  probeUrl,
  oneOf,
  hostedZoneId,
  identifier,
  percent,
  secretArn,
  snsTopicArn,
  strict,
  type DurationLimit,
} from './fields';

/** Nothing the state machine waits for may outlast the execution. */
const EXECUTION: DurationLimit = { seconds: EXECUTION_TIMEOUT_SECONDS, why: 'the execution’s own timeout' };
/** A probe slower than this holds up the health watcher's round for every other probe. */
export const MAX_LATENCY_BUDGET: DurationLimit = {
  seconds: 10,
  why: 'longer answers mean the probe is down',
};
const ONE_HOUR = (why: string): DurationLimit => ({ seconds: 3600, why });

const alias = strict({
  dnsName: dnsName.describe('DNS name of the AWS resource, e.g. my-alb-123.eu-west-1.elb.amazonaws.com'),
  hostedZoneId: hostedZoneId.describe('hosted zone id of the alias target (the load balancer’s, not yours)'),
  evaluateTargetHealth: z.boolean().default(true).describe('let Route 53 skip an unhealthy target'),
});

const weightedSide = strict({
  setIdentifier: z.string().min(1).max(128).describe('SetIdentifier of this side’s weighted record'),
  values: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('record values (IP addresses or a host name)'),
  alias: alias.optional().describe('alias target instead of values'),
}).refine((side) => (side.values === undefined) !== (side.alias === undefined), {
  error: 'give exactly one of "values" or "alias"',
});

export const recordSchema = strict({
  hostedZoneId,
  name: dnsName.describe('record name, e.g. app.example.com'),
  type: z.enum(['A', 'AAAA', 'CNAME'], { error: 'expected A, AAAA or CNAME' }),
  ttl: z
    .number()
    .int()
    .min(0)
    .max(172800)
    .describe('seconds clients cache the answer (for alias records, the target’s effective TTL)'),
  blue: weightedSide.describe('the side serving today'),
  green: weightedSide.describe('the new side'),
});

const dnsSchema = strict({
  records: z.array(recordSchema).min(1, { error: 'list at least one record to shift' }),
});

export const EKS_NOT_YET =
  'kind "eks" is not yet supported; deploy green with kind ecs, cloudformation, or none (already deployed)';

/** A container image by tag (`repo:tag`) or by digest (`repo@sha256:…`); a bare `repo` (implicit latest) is refused. */
const IMAGE_REFERENCE =
  /^[a-z0-9][a-z0-9._/:-]*[a-z0-9](:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;

const deploySchema = z
  .discriminatedUnion(
    'kind',
    [
      strict({ kind: z.literal('none').describe('green is already deployed: verify it only') }),
      strict({
        kind: z.literal('cloudformation'),
        stackName: z
          .string()
          .max(128, {
            error: (issue) =>
              `${showValue(issue.input)} is too long for a CloudFormation stack name: ${String(issue.input).length} characters, at most 128`,
            abort: true,
          })
          .regex(/^[a-z][a-z0-9-]*$/i, {
            error: (issue) =>
              `${showValue(issue.input)} is not a valid CloudFormation stack name: letters, digits and "-", starting with a letter`,
          }),
        templateUrl: z
          .url({ protocol: /^https$/, error: 'expected the https URL of the template in S3' })
          .describe('https URL of the template (S3)'),
        parameters: z
          .record(
            z.string().max(255, { error: 'a parameter name has at most 255 characters' }),
            z.string().refine((v) => Buffer.byteLength(v) <= CLOUDFORMATION_PARAMETER_VALUE_MAX_BYTES, {
              error: `a parameter value has at most ${CLOUDFORMATION_PARAMETER_VALUE_MAX_BYTES} bytes`,
            }),
          )
          .refine((p) => Object.keys(p).length <= CLOUDFORMATION_MAX_PARAMETERS, {
            error: `a stack has at most ${CLOUDFORMATION_MAX_PARAMETERS} parameters`,
          })
          .default({})
          .describe('template parameters'),
        capabilities: z
          .array(z.enum(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']))
          .default([]),
        timeout: duration('how long the stack may take', { max: EXECUTION }).default('30m'),
      }),
      strict({
        kind: z.literal('ecs'),
        cluster: identifier('ECS cluster name').describe('the cluster of the green service'),
        service: identifier('ECS service name').describe(
          'the green ECS service (rolling update, circuit breaker on)',
        ),
        container: identifier('container name').describe('the container whose image is replaced'),
        image: z
          .string()
          .regex(IMAGE_REFERENCE, {
            error:
              'expected an image reference with a tag or a digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2 or …/orders@sha256:<64 hex>',
          })
          .describe('the image green runs, by tag or by digest'),
        timeout: duration('how long the service may take to reach a steady state').default('30m'),
      }),
      strict({
        kind: z.literal('eks').describe('reserved: refused as not yet supported'),
      })
        .catchall(z.unknown())
        .refine(() => false, { error: EKS_NOT_YET }),
    ],
    { error: kindError(['none', 'cloudformation', 'ecs']) },
  )
  .default({ kind: 'none' });

const probeSchema = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('http'),
      url: probeUrl.describe('URL probed on green (http or https; not loopback, link-local or metadata)'),
      expectStatus: z
        .number({ error: 'expected an HTTP status code from 100 to 599' })
        .int({ error: 'expected an HTTP status code from 100 to 599' })
        .min(100, { error: 'expected an HTTP status code from 100 to 599' })
        .max(599, { error: 'expected an HTTP status code from 100 to 599' })
        .default(200),
      latencyBudget: duration('slowest acceptable response', { max: MAX_LATENCY_BUDGET }).default('1s'),
    }),
    strict({
      kind: z.literal('alarm'),
      alarmName: z.string().min(1).max(255).describe('CloudWatch alarm name'),
    }),
    strict({
      kind: z.literal('route53HealthCheck'),
      healthCheckId: z.uuid({ error: 'expected a Route 53 health check id (a UUID)' }),
    }),
  ],
  { error: kindError(['http', 'alarm', 'route53HealthCheck']) },
);

const healthSchema = strict({
  probes: z.array(probeSchema).min(1, { error: 'list at least one probe; a shift is never judged blind' }),
  interval: duration('time between probes', {
    max: ONE_HOUR('a bake judged less often than hourly is not watched'),
  }).default('10s'),
  failureThreshold: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe('consecutive failures that fail a step'),
  inconclusive: z
    .enum(['pause', 'rollback'])
    .default('pause')
    .describe('what an inconclusive verdict does (it never promotes)'),
  inconclusiveLimit: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(3)
    .describe('consecutive inconclusive rounds tolerated'),
});

const strategySchema = z.discriminatedUnion(
  'kind',
  [
    strict({ kind: z.literal('canary'), canaryPercent: percent.max(99).default(10) }),
    strict({ kind: z.literal('linear'), stepPercent: percent.max(50).default(25) }),
    strict({ kind: z.literal('all-at-once') }),
  ],
  { error: kindError(['canary', 'linear', 'all-at-once']) },
);

const trafficSchema = strict({
  steps: z.array(percent).min(1).optional().describe('green percentages, e.g. [1, 10, 50, 100]'),
  strategy: strategySchema.optional().describe('a strategy expanded into steps, instead of "steps"'),
  bake: duration('how long each step is watched before the next', { max: EXECUTION }).default('5m'),
  onHealthFailure: oneOf(['rollback', 'pause']).default('rollback'),
  decisionTimeout: duration('how long a pause waits for a human; then it rolls back', {
    max: EXECUTION,
  }).default('30m'),
});

const endpointSchema = strict({
  hostedZoneId,
  name: dnsName.describe('the database host name the application connects to'),
  ttl: z.number().int().min(0).max(3600).default(5),
  blue: dnsName.describe('CNAME value before the switch (the source database)'),
  green: dnsName.describe('CNAME value after the switch (the target database)'),
});

const approval = z
  .enum(['required', 'none'])
  .default('required')
  .describe('operator approval before the switchover');
const approvalTimeout = duration('how long the approval gate waits; then it rolls back', {
  max: EXECUTION,
}).default('1h');
const operatorTimeout = duration(
  'after a failure past the point of no return, how long to wait for an operator (reminded 4 times) before the safe default: restore blue if the switch did not complete',
  { max: EXECUTION },
).default('24h');
const maxLag = duration('replication lag allowed at switchover', {
  min: { seconds: 0, why: 'a lag cannot be negative' },
  max: ONE_HOUR('a replica an hour behind is not ready to switch'),
});
const catchUpTimeout = duration('how long to wait for the lag to fall within the limit before rolling back', {
  max: EXECUTION,
}).default('5m');
const maxWriteFreeze = duration('the longest write freeze (past it the switchover is abandoned)', {
  max: ONE_HOUR('writers fail for the whole freeze'),
});

const maxLagBytes = (kind: string, what: string) =>
  z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `required for ${kind}: the WAL bytes ${what} may trail by`
          : `${showValue(issue.input)} is not a number: write the WAL bytes ${what} may trail by as a whole number, e.g. 1048576 for 1 MiB`,
    })
    .int({ error: 'expected a whole number of bytes' })
    .min(0, { error: 'expected a whole number of bytes, 0 or more' });

const databaseSchema = z
  .discriminatedUnion(
    'kind',
    [
      strict({ kind: z.literal('none') }),
      strict({
        kind: z.literal('postgres-logical'),
        source: strict({ secretArn }).describe('the blue (publisher) database'),
        target: strict({ secretArn }).describe('the green (subscriber) database'),
        publication: identifier('publication name'),
        subscription: identifier('subscription name'),
        endpoint: endpointSchema,
        catchUpTimeout,
        maxLagBytes: maxLagBytes('postgres-logical', 'the subscriber'),
        maxWriteFreeze: maxWriteFreeze,
        verify: strict({
          tables: z.array(z.string().min(1)).min(1, { error: 'list the tables to compare' }),
          chunkSize: z.number().int().min(100).max(1_000_000).default(10_000),
        }),
        approval,
        approvalTimeout,
        operatorTimeout,
      }),
      strict({
        kind: z.literal('rds-blue-green'),
        blueGreenDeploymentId: z
          .string()
          .regex(/^bgd-[a-z0-9]+$/, { error: 'expected an id like bgd-abc123' }),
        switchoverTimeout: duration('RDS switchover timeout', {
          min: { seconds: RDS_SWITCHOVER_TIMEOUT_MIN_SECONDS, why: 'RDS’s minimum' },
          max: { seconds: RDS_SWITCHOVER_TIMEOUT_MAX_SECONDS, why: 'RDS’s maximum' },
        }).default('5m'),
        maxLag,
        catchUpTimeout,
        approval,
        approvalTimeout,
        operatorTimeout,
      }),
      strict({
        kind: z.literal('rds-read-replica'),
        source: strict({ secretArn }).describe(
          'the source (PostgreSQL) database, frozen for writes before promotion',
        ),
        replica: strict({ secretArn }).describe(
          'the read replica’s own connection: its replay position (LSN) is read there',
        ),
        sourceInstanceId: identifier('DB instance identifier'),
        replicaInstanceId: identifier('DB instance identifier'),
        endpoint: endpointSchema,
        maxLagBytes: maxLagBytes('rds-read-replica', 'the replica'),
        catchUpTimeout,
        maxWriteFreeze,
        approval,
        approvalTimeout,
        operatorTimeout,
      }),
    ],
    { error: kindError(['none', 'postgres-logical', 'rds-blue-green', 'rds-read-replica']) },
  )
  .default({ kind: 'none' });

export const planSchema = strict({
  name: identifier('plan name').describe('names the execution and the audit record'),
  description: z.string().max(1000).optional(),
  dns: dnsSchema,
  deploy: deploySchema,
  health: healthSchema,
  traffic: trafficSchema,
  database: databaseSchema,
  finalize: strict({
    keepBlueFor: duration('how long blue stays deployed after success', {
      min: { seconds: 0, why: 'blue cannot be kept for a negative time' },
      max: { seconds: 365 * 86_400, why: 'a year; delete blue by hand after that' },
    }).default('24h'),
  }).default({
    keepBlueFor: '24h',
  }),
  notifications: strict({ snsTopicArn }).optional(),
});

export type PlanInput = z.input<typeof planSchema>;
type ParsedPlan = z.output<typeof planSchema>;
/** A validated plan. `deploy.kind: eks` is reserved in the format but always refused, so it never gets here. */
export type Plan = Omit<ParsedPlan, 'deploy'> & {
  readonly deploy: Exclude<ParsedPlan['deploy'], { kind: 'eks' }>;
};
export type DnsRecord = Plan['dns']['records'][number];
export type Probe = Plan['health']['probes'][number];
export type Database = Plan['database'];
export type Deploy = Plan['deploy'];

function kindError(kinds: readonly string[]) {
  return (issue: { code: string; input?: unknown }) => {
    if (issue.code !== 'invalid_union') return undefined;
    const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
    return `kind ${showValue(kind)} is not supported; expected one of: ${kinds.join(', ')}`;
  };
}
