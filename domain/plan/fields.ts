import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { DURATION_HINT, durationSeconds, formatDuration, parseDuration } from '../duration';
import { DNS_LABEL_MAX_CHARACTERS, DNS_NAME_MAX_CHARACTERS, EXECUTION_TIMEOUT_SECONDS } from '../aws-limits';
import { showValue } from '../safe-text';
import { forbiddenProbeTarget } from './probe-target';

// zod/mini loads no locale by itself; the plan's messages (and toPlanIssues) read zod's English ones.
z.config(en());

/** An object that rejects unknown keys, suggesting the field the operator probably meant. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      return issue.keys
        .map((key) => {
          const guess = closest(key, known);
          return `unknown field ${showValue(key)}${guess ? ` (did you mean "${guess}"?)` : ''}; expected one of: ${known.join(', ')}`;
        })
        .join('; ');
    },
  });
}

/** One of a few words, with an error that lists them. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) => `${showValue(issue.input)} is not allowed; expected one of: ${values.join(', ')}`,
  });

/** A limit on a duration, with the reason for it (said in the message). */
export interface DurationLimit {
  readonly seconds: number;
  readonly why: string;
}

export interface DurationBounds {
  /** @default - anything more than 0 */
  readonly min?: DurationLimit;
  readonly max: DurationLimit;
}

/** Without bounds of its own, a duration is at most what an execution can last. */
const DEFAULT_BOUNDS: DurationBounds = {
  max: { seconds: EXECUTION_TIMEOUT_SECONDS, why: 'the longest an execution runs' },
};

/** A duration written as in DURATION_HINT, within bounds the runtime can actually honour. */
export const duration = (what: string, bounds: DurationBounds = DEFAULT_BOUNDS) =>
  z.string({ error: `expected ${what} as ${DURATION_HINT}` }).check(
    z.refine((text) => parseDuration(text) !== undefined, {
      error: (issue) => `${showValue(issue.input)} is not a duration; write ${DURATION_HINT}`,
      abort: true,
    }),
    z.refine((text) => durationSeconds(text) >= (bounds.min?.seconds ?? Number.MIN_VALUE), {
      error: (issue) =>
        bounds.min
          ? `${showValue(issue.input)} is too short: at least ${formatDuration(bounds.min.seconds)} (${bounds.min.why})`
          : `${showValue(issue.input)} is too short: it must be more than 0`,
      abort: true,
    }),
    z.refine((text) => durationSeconds(text) <= bounds.max.seconds, {
      error: (issue) =>
        `${showValue(issue.input)} is too long: at most ${formatDuration(bounds.max.seconds)} (${bounds.max.why})`,
    }),
    z.describe(
      `${what} (${DURATION_HINT}; ${bounds.min ? `at least ${formatDuration(bounds.min.seconds)}` : 'more than 0'}, at most ${formatDuration(bounds.max.seconds)})`,
    ),
  );

export const percent = z.number({ error: 'expected a percentage from 1 to 100' }).check(
  z.int({
    error: (issue) => `${String(issue.input)} is not a whole percentage; Route 53 weights are integers`,
  }),
  z.minimum(1, {
    error: (issue) => `${String(issue.input)} is outside 1–100; a shift step sends 1 to 100 % to green`,
  }),
  z.maximum(100, {
    error: (issue) => `${String(issue.input)} is outside 1–100; a shift step sends 1 to 100 % to green`,
  }),
);

/** A whole number from `min` to `max`, with zod's own messages. */
export const wholeNumber = (min: number, max: number) =>
  z.number().check(z.int(), z.minimum(min), z.maximum(max));

/** A whole-number setting from `min` to `max`, `fallback` when left out. */
export const wholeNumberSetting = (min: number, max: number, fallback: number, description: string) =>
  z._default(wholeNumber(min, max), fallback).check(z.describe(description));

export const hostedZoneId = z.string().check(
  z.regex(/^Z[A-Z0-9]{1,31}$/, {
    error: (issue) =>
      `${showValue(issue.input)} is not a Route 53 hosted zone id (Z followed by up to 31 capital letters and digits)`,
  }),
  z.describe('Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ'),
);

const DNS_LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9])?$/i;

/** Why `name` is not a fully qualified domain name Route 53 accepts, or undefined when it is one. */
export function dnsNameProblem(name: string): string | undefined {
  const length = Array.from(name).length;
  if (length > DNS_NAME_MAX_CHARACTERS) {
    return `is ${length} characters long; a domain name has at most ${DNS_NAME_MAX_CHARACTERS}`;
  }
  const labels = name.replace(/\.$/, '').split('.');
  const long = labels.find((label) => label.length > DNS_LABEL_MAX_CHARACTERS);
  if (long !== undefined) {
    return `has a label of ${long.length} characters (${showValue(long)}); each dot-separated part has at most ${DNS_LABEL_MAX_CHARACTERS}`;
  }
  const [first, ...rest] = labels;
  const wildcard = first === '*' && rest.length > 0;
  const tld = labels[labels.length - 1] ?? '';
  if (
    labels.length < 2 ||
    !/^[a-z]{2,63}$/i.test(tld) ||
    ![...(wildcard ? rest : labels)].every((l) => DNS_LABEL.test(l))
  ) {
    return 'is not a fully qualified domain name (letters, digits, "-" and "_" in dot-separated parts, e.g. app.example.com)';
  }
  return undefined;
}

export const dnsName = z.string().check(
  z.superRefine((name, ctx) => {
    const problem = dnsNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: `${showValue(name)} ${problem}`, input: name });
  }),
);

export const secretArn = z.string().check(
  z.maxLength(2048, {
    error: (issue) => `${showValue(issue.input)} is too long for an ARN (at most 2048 characters)`,
    abort: true,
  }),
  z.regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, {
    error: (issue) =>
      `${showValue(issue.input)} is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`,
  }),
  z.describe(
    'ARN of the Secrets Manager secret holding the connection: username, password, and host, port, dbname, sslmode, sslrootcert when needed (see README, Database secrets)',
  ),
);

export const snsTopicArn = z.string().check(
  z.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, {
    error: (issue) =>
      `${showValue(issue.input)} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`,
  }),
);

/** A name such as a stack or plan name: letters, digits, "-" and "_", starting with a letter. */
export const identifier = (what: string, maxLength = 63) =>
  z.string().check(
    z.maxLength(maxLength, {
      error: (issue) =>
        `${showValue(issue.input)} is too long for a ${what}: ${Array.from(String(issue.input)).length} characters, at most ${maxLength}`,
      abort: true,
    }),
    z.regex(/^[a-z][a-z0-9_-]*$/i, {
      error: (issue) =>
        `${showValue(issue.input)} is not a valid ${what}: letters, digits, "-" and "_", starting with a letter`,
    }),
  );

/** The field the operator probably meant (none for a long key: nobody mistypes 64 characters). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A probe URL: http(s), no user info, never a loopback, link-local or metadata address. */
export const probeUrl = z.string({ error: 'expected the http(s) URL to probe' }).check(
  z.maxLength(2048, {
    error: (issue) =>
      `${showValue(issue.input)} is too long for a probe URL (${String(issue.input).length} characters, at most 2048)`,
    abort: true,
  }),
  z.superRefine((url, ctx) => {
    const problem = forbiddenProbeTarget(url);
    if (problem) ctx.addIssue({ code: 'custom', message: `${showValue(url)} ${problem}`, input: url });
  }),
);
