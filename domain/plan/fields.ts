import * as z from 'zod';
import { DURATION_HINT, parseDuration } from '../duration';

/** An object that rejects unknown keys, suggesting the field the operator probably meant. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      return issue.keys
        .map((key) => {
          const guess = closest(key, known);
          return `unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; expected one of: ${known.join(', ')}`;
        })
        .join('; ');
    },
  });
}

/** One of a few words, with an error that lists them. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) => `${JSON.stringify(issue.input)} is not allowed; expected one of: ${values.join(', ')}`,
  });

export const duration = (what: string) =>
  z
    .string({ error: `expected ${what} as ${DURATION_HINT}` })
    .refine((text) => parseDuration(text) !== undefined, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a duration; write ${DURATION_HINT}`,
    })
    .describe(`${what} (${DURATION_HINT})`);

export const percent = z
  .number({ error: 'expected a percentage from 1 to 100' })
  .int({
    error: (issue) => `${String(issue.input)} is not a whole percentage; Route 53 weights are integers`,
  })
  .min(1, {
    error: (issue) => `${String(issue.input)} is outside 1–100; a shift step sends 1 to 100 % to green`,
  })
  .max(100, {
    error: (issue) => `${String(issue.input)} is outside 1–100; a shift step sends 1 to 100 % to green`,
  });

export const hostedZoneId = z
  .string()
  .regex(/^Z[A-Z0-9]{1,31}$/, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a Route 53 hosted zone id (Z followed by letters and digits)`,
  })
  .describe('Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ');

export const dnsName = z.string().regex(/^(\*\.)?([a-z0-9_]([a-z0-9-_]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/i, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a fully qualified domain name`,
});

export const secretArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`,
  })
  .describe('ARN of the Secrets Manager secret holding the connection (host, port, user, password, dbname)');

export const snsTopicArn = z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not an SNS topic ARN`,
});

export const identifier = (what: string) =>
  z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/i, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a valid ${what}: letters, digits, "-" and "_", starting with a letter`,
  });

function closest(word: string, candidates: readonly string[]): string | undefined {
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
