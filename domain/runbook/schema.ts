import * as z from 'zod';
import { duration, strict } from '../plan/fields';
import { isTimeZone, scheduleExpressionProblem } from './schedule-expression';
import { SCRIPTS, SCRIPT_NAMES, type ScriptName } from './scripts';

/** The tag every runbook target must carry (IAM refuses SendCommand to any other instance). */
export const OPT_IN_TAG = { key: 'cutover-runbooks', value: 'enabled' } as const;

const tagKey = z.string().regex(/^[\w.:/=+@-]{1,128}$/, { error: 'expected a tag key (1–128 characters)' });
const tagValue = z
  .string()
  .regex(/^[\w.:/=+@ -]{0,256}$/, { error: 'expected a tag value (up to 256 characters)' });

const targetsSchema = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('instances').describe('SSM managed instances selected by their tags'),
      tags: z
        .record(tagKey, tagValue)
        .refine((tags) => Object.keys(tags).length >= 1 && Object.keys(tags).length <= 5, {
          error: 'select by 1 to 5 tags',
        })
        .describe(`tags every target carries (all of them), besides ${OPT_IN_TAG.key}=${OPT_IN_TAG.value}`),
    }),
    strict({
      kind: z.literal('ecs').describe('the EC2 container instances running an ECS service’s tasks'),
      cluster: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, { error: 'expected an ECS cluster name' }),
      service: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, { error: 'expected an ECS service name' }),
    }),
  ],
  { error: discriminatorError('kind', ['instances', 'ecs']) },
);

const scheduleSchema = strict({
  expression: z
    .string()
    .superRefine((text, context) => {
      const problem = scheduleExpressionProblem(text);
      if (problem) context.addIssue({ code: 'custom', message: `${JSON.stringify(text)}: ${problem}` });
    })
    .describe('EventBridge Scheduler expression: rate(6 hours) or cron(0 3 * * ? *)'),
  timezone: z
    .string()
    .refine(isTimeZone, { error: (issue) => `${JSON.stringify(issue.input)} is not an IANA time zone` })
    .default('UTC')
    .describe('IANA time zone the cron expression is read in, e.g. Europe/Paris'),
  notAfter: duration('how late a scheduled run may start; later, it is skipped and reported').default('15m'),
});

const preconditionSchema = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('memory-available-below'),
      percent: z
        .number()
        .int()
        .min(1)
        .max(100)
        .describe('run only when MemAvailable is under this % of MemTotal'),
    }),
    strict({
      kind: z.literal('zombies-at-least'),
      count: z.number().int().min(1).max(100000).describe('run only when at least this many zombies exist'),
    }),
    strict({
      kind: z.literal('filesystem-used-above'),
      path: z.string().regex(/^(\/[A-Za-z0-9._-]+)+$|^\/$/, { error: 'expected an absolute path' }),
      percent: z.number().int().min(0).max(99).describe('run only when this filesystem is fuller than this'),
    }),
  ],
  {
    error: discriminatorError('kind', [
      'memory-available-below',
      'zombies-at-least',
      'filesystem-used-above',
    ]),
  },
);

const step = <S extends ScriptName>(script: S) =>
  strict({
    script: z.literal(script).describe(SCRIPTS[script].description),
    parameters: SCRIPTS[script].parameters,
  });

const stepSchema = z.discriminatedUnion(
  'script',
  [
    step('free-disk-caches').extend({
      parameters: SCRIPTS['free-disk-caches'].parameters.default({ level: 1 }),
    }),
    step('reap-zombies').extend({
      parameters: SCRIPTS['reap-zombies'].parameters.default({ terminateParents: [], graceSeconds: 2 }),
    }),
    step('clean-tmp-and-logs'),
    step('restart-unhealthy-service'),
  ],
  { error: discriminatorError('script', SCRIPT_NAMES) },
);

const rateControlSchema = strict({
  maxConcurrency: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(5)
    .describe('targets run at once after the canary (SendCommand takes up to 50 instances)'),
  maxErrors: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(0)
    .describe('failed targets tolerated after the canary'),
  maxTargets: z
    .number()
    .int()
    .min(1)
    .max(500)
    .default(100)
    .describe('more targets than this fails the run (a tag that matches too much)'),
});

export const runbookSchema = strict({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, {
      error: 'expected lower-case letters, digits and "-", like the file name',
    })
    .describe('the runbook’s name: runbooks/<name>.yaml'),
  description: z.string().max(500).optional(),
  targets: targetsSchema,
  schedule: scheduleSchema.optional().describe('when it runs by itself; without it, only when started'),
  preconditions: z.array(preconditionSchema).max(5).default([]).describe('checked on each target first'),
  steps: z
    .array(stepSchema)
    .min(1, { error: 'list at least one step' })
    .max(3)
    .describe('scripts run in order'),
  rateControl: rateControlSchema.default({ maxConcurrency: 5, maxErrors: 0, maxTargets: 100 }),
  dryRun: z.boolean().default(false).describe('report what would change, change nothing'),
  timeout: duration('how long a step may run on a target').default('10m'),
});

export type Runbook = z.output<typeof runbookSchema>;
export type RunbookInput = z.input<typeof runbookSchema>;
export type RunbookStep = Runbook['steps'][number];
export type Precondition = Runbook['preconditions'][number];

function discriminatorError(key: string, values: readonly string[]) {
  return (issue: { code: string; input?: unknown }) => {
    if (issue.code !== 'invalid_union') return undefined;
    const value = (issue.input as Record<string, unknown> | undefined)?.[key];
    // "kind …" is how plan validation places the problem on the `kind` field (see toPlanIssues).
    const subject = key === 'kind' ? 'kind ' : '';
    return `${subject}${JSON.stringify(value)} is not supported; expected one of: ${values.join(', ')}`;
  };
}
