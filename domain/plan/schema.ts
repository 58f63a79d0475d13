/*
 * The plan schema, written with zod/mini (z.optional(x), z._default(x, v), x.check(z.maxLength(…)))
 * rather than zod classic's chained methods: it is what keeps validate-plan's bundle within 150 KB
 * (test/lambdas/bundle-budget.test.ts fails on zod classic). `z.describe(…)` checks feed the JSON Schema
 * and the README's plan reference (`npm run schema`).
 */
import * as z from 'zod/mini';
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
  wholeNumber,
  wholeNumberSetting,
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
  dnsName: dnsName.check(
    z.describe('DNS name of the AWS resource, e.g. my-alb-123.eu-west-1.elb.amazonaws.com'),
  ),
  hostedZoneId: hostedZoneId.check(
    z.describe('hosted zone id of the alias target (the load balancer’s, not yours)'),
  ),
  evaluateTargetHealth: z
    ._default(z.boolean(), true)
    .check(z.describe('let Route 53 skip an unhealthy target')),
});

const weightedSide = strict({
  setIdentifier: z
    .string()
    .check(z.minLength(1), z.maxLength(128), z.describe('SetIdentifier of this side’s weighted record')),
  values: z
    .optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)))
    .check(z.describe('record values (IP addresses or a host name)')),
  alias: z.optional(alias).check(z.describe('alias target instead of values')),
}).check(
  z.refine((side) => (side.values === undefined) !== (side.alias === undefined), {
    error: 'give exactly one of "values" or "alias"',
  }),
);

export const recordSchema = strict({
  hostedZoneId,
  name: dnsName.check(z.describe('record name, e.g. app.example.com')),
  type: z.enum(['A', 'AAAA', 'CNAME'], { error: 'expected A, AAAA or CNAME' }),
  ttl: z
    .number()
    .check(
      z.int(),
      z.minimum(0),
      z.maximum(172800),
      z.describe('seconds clients cache the answer (for alias records, the target’s effective TTL)'),
    ),
  blue: weightedSide.check(z.describe('the side serving today')),
  green: weightedSide.check(z.describe('the new side')),
});

const dnsSchema = strict({
  records: z.array(recordSchema).check(z.minLength(1, { error: 'list at least one record to shift' })),
});

export const EKS_NOT_YET =
  'kind "eks" is not yet supported; deploy green with kind ecs, cloudformation, or none (already deployed)';

/** A container image by tag (`repo:tag`) or by digest (`repo@sha256:…`); a bare `repo` (implicit latest) is refused. */
const IMAGE_REFERENCE =
  /^[a-z0-9][a-z0-9._/:-]*[a-z0-9](:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;

const deploySchema = z._default(
  z.discriminatedUnion(
    'kind',
    [
      strict({ kind: z.literal('none').check(z.describe('green is already deployed: verify it only')) }),
      strict({
        kind: z.literal('cloudformation'),
        stackName: z.string().check(
          z.maxLength(128, {
            error: (issue) =>
              `${showValue(issue.input)} is too long for a CloudFormation stack name: ${String(issue.input).length} characters, at most 128`,
            abort: true,
          }),
          z.regex(/^[a-z][a-z0-9-]*$/i, {
            error: (issue) =>
              `${showValue(issue.input)} is not a valid CloudFormation stack name: letters, digits and "-", starting with a letter`,
          }),
        ),
        templateUrl: z
          .url({ protocol: /^https$/, error: 'expected the https URL of the template in S3' })
          .check(z.describe('https URL of the template (S3)')),
        parameters: z
          ._default(
            z
              .record(
                z.string().check(z.maxLength(255, { error: 'a parameter name has at most 255 characters' })),
                z.string().check(
                  z.refine((v) => Buffer.byteLength(v) <= CLOUDFORMATION_PARAMETER_VALUE_MAX_BYTES, {
                    error: `a parameter value has at most ${CLOUDFORMATION_PARAMETER_VALUE_MAX_BYTES} bytes`,
                  }),
                ),
              )
              .check(
                z.refine((p) => Object.keys(p).length <= CLOUDFORMATION_MAX_PARAMETERS, {
                  error: `a stack has at most ${CLOUDFORMATION_MAX_PARAMETERS} parameters`,
                }),
              ),
            {},
          )
          .check(z.describe('template parameters')),
        capabilities: z._default(
          z.array(z.enum(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'])),
          [],
        ),
        timeout: z._default(duration('how long the stack may take', { max: EXECUTION }), '30m'),
      }),
      strict({
        kind: z.literal('ecs'),
        cluster: identifier('ECS cluster name').check(z.describe('the cluster of the green service')),
        service: identifier('ECS service name').check(
          z.describe('the green ECS service (rolling update, circuit breaker on)'),
        ),
        container: identifier('container name').check(z.describe('the container whose image is replaced')),
        image: z.string().check(
          z.regex(IMAGE_REFERENCE, {
            error:
              'expected an image reference with a tag or a digest, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2 or …/orders@sha256:<64 hex>',
          }),
          z.describe('the image green runs, by tag or by digest'),
        ),
        timeout: z._default(duration('how long the service may take to reach a steady state'), '30m'),
      }),
      z
        .catchall(
          strict({
            kind: z.literal('eks').check(z.describe('reserved: refused as not yet supported')),
          }),
          z.unknown(),
        )
        .check(z.refine(() => false, { error: EKS_NOT_YET })),
    ],
    { error: kindError(['none', 'cloudformation', 'ecs']) },
  ),
  { kind: 'none' },
);

/** An HTTP status code: one message for every way it can be wrong. */
const STATUS_ERROR = 'expected an HTTP status code from 100 to 599';

const probeSchema = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('http'),
      url: probeUrl.check(
        z.describe('URL probed on green (http or https; not loopback, link-local or metadata)'),
      ),
      expectStatus: z._default(
        z
          .number({ error: STATUS_ERROR })
          .check(
            z.int({ error: STATUS_ERROR }),
            z.minimum(100, { error: STATUS_ERROR }),
            z.maximum(599, { error: STATUS_ERROR }),
          ),
        200,
      ),
      latencyBudget: z._default(duration('slowest acceptable response', { max: MAX_LATENCY_BUDGET }), '1s'),
    }),
    strict({
      kind: z.literal('alarm'),
      alarmName: z.string().check(z.minLength(1), z.maxLength(255), z.describe('CloudWatch alarm name')),
    }),
    strict({
      kind: z.literal('route53HealthCheck'),
      healthCheckId: z.uuid({ error: 'expected a Route 53 health check id (a UUID)' }),
    }),
  ],
  { error: kindError(['http', 'alarm', 'route53HealthCheck']) },
);

const healthSchema = strict({
  probes: z
    .array(probeSchema)
    .check(z.minLength(1, { error: 'list at least one probe; a shift is never judged blind' })),
  interval: z._default(
    duration('time between probes', {
      max: ONE_HOUR('a bake judged less often than hourly is not watched'),
    }),
    '10s',
  ),
  failureThreshold: wholeNumberSetting(1, 10, 3, 'consecutive failures that fail a step'),
  inconclusive: z
    ._default(z.enum(['pause', 'rollback']), 'pause')
    .check(z.describe('what an inconclusive verdict does (it never promotes)')),
  inconclusiveLimit: wholeNumberSetting(1, 20, 3, 'consecutive inconclusive rounds tolerated'),
});

const strategySchema = z.discriminatedUnion(
  'kind',
  [
    strict({ kind: z.literal('canary'), canaryPercent: z._default(percent.check(z.maximum(99)), 10) }),
    strict({ kind: z.literal('linear'), stepPercent: z._default(percent.check(z.maximum(50)), 25) }),
    strict({ kind: z.literal('all-at-once') }),
  ],
  { error: kindError(['canary', 'linear', 'all-at-once']) },
);

const trafficSchema = strict({
  steps: z
    .optional(z.array(percent).check(z.minLength(1)))
    .check(z.describe('green percentages, e.g. [1, 10, 50, 100]')),
  strategy: z
    .optional(strategySchema)
    .check(z.describe('a strategy expanded into steps, instead of "steps"')),
  bake: z._default(duration('how long each step is watched before the next', { max: EXECUTION }), '5m'),
  onHealthFailure: z._default(oneOf(['rollback', 'pause']), 'rollback'),
  decisionTimeout: z._default(
    duration('how long a pause waits for a human; then it rolls back', { max: EXECUTION }),
    '30m',
  ),
});

const endpointSchema = strict({
  hostedZoneId,
  name: dnsName.check(z.describe('the database host name the application connects to')),
  ttl: z._default(wholeNumber(0, 3600), 5),
  blue: dnsName.check(z.describe('CNAME value before the switch (the source database)')),
  green: dnsName.check(z.describe('CNAME value after the switch (the target database)')),
});

const approval = z
  ._default(z.enum(['required', 'none']), 'required')
  .check(z.describe('operator approval before the switchover'));
const approvalTimeout = z._default(
  duration('how long the approval gate waits; then it rolls back', { max: EXECUTION }),
  '1h',
);
const operatorTimeout = z._default(
  duration(
    'after a failure past the point of no return, how long to wait for an operator (reminded 4 times) before the safe default: restore blue if the switch did not complete',
    { max: EXECUTION },
  ),
  '24h',
);
const maxLag = duration('replication lag allowed at switchover', {
  min: { seconds: 0, why: 'a lag cannot be negative' },
  max: ONE_HOUR('a replica an hour behind is not ready to switch'),
});
const catchUpTimeout = z._default(
  duration('how long to wait for the lag to fall within the limit before rolling back', {
    max: EXECUTION,
  }),
  '5m',
);
const maxWriteFreeze = duration('the longest write freeze (past it the switchover is abandoned)', {
  max: ONE_HOUR('writers fail for the whole freeze'),
});
const sourceDatabase = (description: string) =>
  strict({
    secretArn,
    dbname: z
      .optional(identifier('database name'))
      .check(
        z.describe(
          'the database to connect to when the secret has no dbname (an RDS-managed master-user secret holds only username and password)',
        ),
      ),
  }).check(z.describe(description));
const maxLagBytes = (kind: string, what: string) =>
  z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `required for ${kind}: the WAL bytes ${what} may trail by`
          : `${showValue(issue.input)} is not a number: write the WAL bytes ${what} may trail by as a whole number, e.g. 1048576 for 1 MiB`,
    })
    .check(
      z.int({ error: 'expected a whole number of bytes' }),
      z.minimum(0, { error: 'expected a whole number of bytes, 0 or more' }),
      z.describe(`WAL bytes ${what} may trail the source by before writes are frozen (by LSN)`),
    );

const databaseSchema = z._default(
  z.discriminatedUnion(
    'kind',
    [
      strict({ kind: z.literal('none') }),
      strict({
        kind: z.literal('postgres-logical'),
        source: sourceDatabase('the blue (publisher) database'),
        target: sourceDatabase('the green (subscriber) database'),
        publication: identifier('publication name'),
        subscription: identifier('subscription name'),
        endpoint: endpointSchema,
        catchUpTimeout,
        maxLagBytes: maxLagBytes('postgres-logical', 'the subscriber'),
        maxWriteFreeze: maxWriteFreeze,
        verify: strict({
          tables: z
            .array(z.string().check(z.minLength(1)))
            .check(z.minLength(1, { error: 'list the tables to compare' })),
          chunkSize: z._default(wholeNumber(100, 1_000_000), 10_000),
        }),
        approval,
        approvalTimeout,
        operatorTimeout,
      }),
      strict({
        kind: z.literal('rds-blue-green'),
        blueGreenDeploymentId: z
          .string()
          .check(z.regex(/^bgd-[a-z0-9]+$/, { error: 'expected an id like bgd-abc123' })),
        switchoverTimeout: z._default(
          duration('RDS switchover timeout', {
            min: { seconds: RDS_SWITCHOVER_TIMEOUT_MIN_SECONDS, why: 'RDS’s minimum' },
            max: { seconds: RDS_SWITCHOVER_TIMEOUT_MAX_SECONDS, why: 'RDS’s maximum' },
          }),
          '5m',
        ),
        maxLag,
        catchUpTimeout,
        approval,
        approvalTimeout,
        operatorTimeout,
      }),
      strict({
        kind: z.literal('rds-read-replica'),
        source: sourceDatabase('the source (PostgreSQL) database, frozen for writes before promotion'),
        replica: sourceDatabase('the read replica’s own connection: its replay position (LSN) is read there'),
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
  ),
  { kind: 'none' },
);

export const planSchema = strict({
  name: identifier('plan name').check(z.describe('names the execution and the audit record')),
  description: z.optional(z.string().check(z.maxLength(1000))),
  dns: dnsSchema,
  deploy: deploySchema,
  health: healthSchema,
  traffic: trafficSchema,
  database: databaseSchema,
  finalize: z._default(
    strict({
      keepBlueFor: z._default(
        duration('how long blue stays deployed after success', {
          min: { seconds: 0, why: 'blue cannot be kept for a negative time' },
          max: { seconds: 365 * 86_400, why: 'a year; delete blue by hand after that' },
        }),
        '24h',
      ),
    }),
    { keepBlueFor: '24h' },
  ),
  notifications: z.optional(strict({ snsTopicArn })),
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
