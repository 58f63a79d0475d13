import * as z from 'zod/mini';
import { strict, wholeNumber } from '../plan/fields';

/** One typed parameter of a runbook script: the flag it becomes and the pattern its text must match. */
export interface ScriptArgument {
  readonly flag: string;
  /** The SSM document's allowedPattern for this parameter: it is what makes interpolation safe. */
  readonly pattern: string;
  text(value: never): string;
}

const absolutePath = z.string().check(
  z.regex(/^(\/[A-Za-z0-9._-]+)+$/, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not an absolute path of letters, digits, ".", "_" and "-"`,
  }),
  z.refine((path) => !path.split('/').some((part) => part === '.' || part === '..'), {
    error: 'a directory may not contain "." or ".." parts',
  }),
);

const command = z.string().check(
  z.regex(/^[A-Za-z0-9._-]{1,15}$/, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a process command (comm): up to 15 letters, digits, ".", "_" and "-"`,
  }),
);

const number = (flag: string, pattern: string): ScriptArgument => ({
  flag,
  pattern,
  text: (value: number) => String(value),
});
const list = (flag: string, item: string, separator: string): ScriptArgument => ({
  flag,
  pattern: `^(${item}(${separator}${item})*)?$`,
  text: (value: readonly string[]) => value.join(separator),
});
const word = (flag: string, pattern: string): ScriptArgument => ({
  flag,
  pattern,
  text: (value: string) => value,
});

const PATH = '(/[A-Za-z0-9._-]+)+';
const LOCAL_URL = '^https?://(localhost|127\\.0\\.0\\.1)(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$';

/**
 * The runbook scripts (runbooks/scripts/<name>.py) and their typed parameters. A runbook step names a
 * script and sets these; nothing else reaches the command line.
 */
export const SCRIPTS = {
  'free-disk-caches': {
    description: 'sync, then drop the page cache (level 1), or also dentries and inodes (level 3)',
    parameters: strict({
      level: z
        ._default(
          z.union([z.literal(1), z.literal(3)], {
            error: 'expected 1 (page cache) or 3 (also dentries and inodes)',
          }),
          1,
        )
        .check(z.describe('1: page cache; 3: page cache, dentries and inodes (only when asked)')),
    }),
    arguments: { level: number('--level', '^[13]$') },
  },
  'reap-zombies': {
    description: 'SIGCHLD the parents of zombies; terminate a parent only when its command is allowed',
    parameters: strict({
      terminateParents: z
        ._default(z.array(command).check(z.maxLength(20)), [])
        .check(z.describe('commands (comm) of parents that may be terminated when SIGCHLD is not enough')),
      graceSeconds: z._default(wholeNumber(1, 60), 2).check(z.describe('seconds parents get to react')),
    }),
    arguments: {
      terminateParents: list('--terminate-parent', '[A-Za-z0-9._-]{1,15}', ','),
      graceSeconds: number('--grace-seconds', '^[0-9]{1,2}$'),
    },
  },
  'clean-tmp-and-logs': {
    description: 'delete files older than N days under the given directories when the filesystem is full',
    parameters: strict({
      directories: z
        .array(absolutePath)
        .check(z.minLength(1), z.maxLength(20), z.describe('absolute directories to clean')),
      olderThanDays: z._default(wholeNumber(1, 3650), 7).check(z.describe('age of the files deleted')),
      usedAbovePercent: z
        ._default(wholeNumber(0, 100), 80)
        .check(z.describe('clean only when the filesystem is fuller than this')),
    }),
    arguments: {
      directories: list('--directories', PATH, ':'),
      olderThanDays: number('--older-than-days', '^[0-9]{1,4}$'),
      usedAbovePercent: number('--used-above-percent', '^[0-9]{1,3}$'),
    },
  },
  'restart-unhealthy-service': {
    description: 'restart a service whose health check fails, at most N times an hour, then escalate',
    parameters: strict({
      service: z
        .string()
        .check(
          z.regex(/^[A-Za-z0-9@._-]{1,128}$/, { error: 'expected a systemd unit name, e.g. nginx.service' }),
          z.describe('systemd unit'),
        ),
      healthCheck: z
        ._default(z.enum(['systemd', 'http', 'tcp']), 'systemd')
        .check(z.describe('how health is judged')),
      healthUrl: z
        .optional(
          z.string().check(
            z.regex(new RegExp(LOCAL_URL), {
              error: 'expected a local URL, e.g. http://127.0.0.1:8080/healthz',
            }),
          ),
        )
        .check(z.describe('for healthCheck http: a local URL answering 2xx/3xx')),
      healthPort: z
        .optional(wholeNumber(1, 65535))
        .check(z.describe('for healthCheck tcp: a port on 127.0.0.1')),
      maxRestartsPerHour: z._default(wholeNumber(1, 20), 3).check(z.describe('then escalate')),
    }),
    arguments: {
      service: word('--service', '^[A-Za-z0-9@._-]{1,128}$'),
      healthCheck: word('--health-check', '^(systemd|http|tcp)$'),
      healthUrl: word('--health-url', LOCAL_URL),
      healthPort: number('--health-port', '^[0-9]{1,5}$'),
      maxRestartsPerHour: number('--max-restarts-per-hour', '^[0-9]{1,2}$'),
    },
  },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
export const SCRIPT_NAMES = Object.keys(SCRIPTS) as ScriptName[];
