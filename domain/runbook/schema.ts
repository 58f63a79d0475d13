import * as z from 'zod/mini';
import { duration, strict, wholeNumber, wholeNumberSetting } from '../plan/fields';
import { isTimeZone, scheduleExpressionProblem } from './schedule-expression';
import { SCRIPTS, SCRIPT_NAMES, type ScriptName } from './scripts';

/** The tag every runbook target must carry (IAM refuses SendCommand to any other instance). */
export const OPT_IN_TAG = { key: 'cutover-runbooks', value: 'enabled' } as const;

const tagKey = z
  .string()
  .check(z.regex(/^[\w.:/=+@-]{1,128}$/, { error: 'expected a tag key (1–128 characters)' }));
const tagValue = z
  .string()
  .check(z.regex(/^[\w.:/=+@ -]{0,256}$/, { error: 'expected a tag value (up to 256 characters)' }));

const targetsSchema = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('instances').check(z.describe('SSM managed instances selected by their tags')),
      tags: z.record(tagKey, tagValue).check(
        z.refine((tags) => Object.keys(tags).length >= 1 && Object.keys(tags).length <= 5, {
          error: 'select by 1 to 5 tags',
        }),
        z.describe(`tags every target carries (all of them), besides ${OPT_IN_TAG.key}=${OPT_IN_TAG.value}`),
      ),
    }),
    strict({
      kind: z.literal('ecs').check(z.describe('the EC2 container instances running an ECS service’s tasks')),
      cluster: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,255}$/, { error: 'expected an ECS cluster name' })),
      service: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,255}$/, { error: 'expected an ECS service name' })),
    }),
  ],
  { error: discriminatorError('kind', ['instances', 'ecs']) },
);

const scheduleSchema = strict({
  expression: z.string().check(
    z.superRefine((text, context) => {
      const problem = scheduleExpressionProblem(text);
      if (problem) context.addIssue({ code: 'custom', message: `${JSON.stringify(text)}: ${problem}` });
    }),
    z.describe('EventBridge Scheduler expression: rate(6 hours) or cron(0 3 * * ? *)'),
  ),
  timezone: z
    ._default(
      z.string().check(
        z.refine(isTimeZone, {
          error: (issue) => `${JSON.stringify(issue.input)} is not an IANA time zone`,
        }),
      ),
      'UTC',
    )
    .check(z.describe('IANA time zone the cron expression is read in, e.g. Europe/Paris')),
  notAfter: z._default(
    duration('how late a scheduled run may start; later, it is skipped and reported'),
    '15m',
  ),
});

/** A whole number from `min` to `max`, described. */
const described = (min: number, max: number, description: string) =>
  wholeNumber(min, max).check(z.describe(description));

const preconditionSchema = z.discriminatedUnion(
  'kind',
  [
    strict({
      kind: z.literal('memory-available-below'),
      percent: described(1, 100, 'run only when MemAvailable is under this % of MemTotal'),
    }),
    strict({
      kind: z.literal('zombies-at-least'),
      count: described(1, 100000, 'run only when at least this many zombies exist'),
    }),
    strict({
      kind: z.literal('filesystem-used-above'),
      path: z.string().check(z.regex(/^(\/[A-Za-z0-9._-]+)+$|^\/$/, { error: 'expected an absolute path' })),
      percent: described(0, 99, 'run only when this filesystem is fuller than this'),
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
    script: z.literal(script).check(z.describe(SCRIPTS[script].description)),
    parameters: SCRIPTS[script].parameters,
  });

const stepSchema = z.discriminatedUnion(
  'script',
  [
    z.extend(step('free-disk-caches'), {
      parameters: z._default(SCRIPTS['free-disk-caches'].parameters, { level: 1 }),
    }),
    z.extend(step('reap-zombies'), {
      parameters: z._default(SCRIPTS['reap-zombies'].parameters, { terminateParents: [], graceSeconds: 2 }),
    }),
    step('clean-tmp-and-logs'),
    step('restart-unhealthy-service'),
  ],
  { error: discriminatorError('script', SCRIPT_NAMES) },
);

const rateControlSchema = strict({
  maxConcurrency: wholeNumberSetting(
    1,
    50,
    5,
    'targets run at once after the canary (SendCommand takes up to 50 instances)',
  ),
  maxErrors: wholeNumberSetting(0, 1000, 0, 'failed targets tolerated after the canary'),
  maxTargets: wholeNumberSetting(
    1,
    500,
    100,
    'more targets than this fails the run (a tag that matches too much)',
  ),
});

export const runbookSchema = strict({
  name: z.string().check(
    z.regex(/^[a-z][a-z0-9-]{0,39}$/, {
      error: 'expected lower-case letters, digits and "-", like the file name',
    }),
    z.describe('the runbook’s name: runbooks/<name>.yaml'),
  ),
  description: z.optional(z.string().check(z.maxLength(500))),
  targets: targetsSchema,
  schedule: z
    .optional(scheduleSchema)
    .check(z.describe('when it runs by itself; without it, only when started')),
  preconditions: z
    ._default(z.array(preconditionSchema).check(z.maxLength(5)), [])
    .check(z.describe('checked on each target first')),
  steps: z
    .array(stepSchema)
    .check(
      z.minLength(1, { error: 'list at least one step' }),
      z.maxLength(3),
      z.describe('scripts run in order'),
    ),
  rateControl: z._default(rateControlSchema, { maxConcurrency: 5, maxErrors: 0, maxTargets: 100 }),
  dryRun: z._default(z.boolean(), false).check(z.describe('report what would change, change nothing')),
  timeout: z._default(duration('how long a step may run on a target'), '10m'),
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
