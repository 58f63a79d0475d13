import { StepInputError } from '../domain/errors';

/**
 * Step inputs, read field by field. Steps are called only by the state machine and the scheduler, so
 * their inputs are small and well known: these few readers check them without bundling a schema
 * library into every step's Lambda (zod stays in validate-plan, the CLI and the operator entry
 * points). The first wrong field fails with a one-line StepInputError naming it.
 */
export type Reader<T> = (value: unknown, path: string) => T;
export type Read<R> = R extends Reader<infer T> ? T : never;

function fail(path: string, expected: string, value: unknown): never {
  const got = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60);
  throw new StepInputError(`${path || 'input'}: expected ${expected}, got ${got}`);
}

export const check =
  <T>(expected: string, is: (value: unknown) => value is T): Reader<T> =>
  (value, path) =>
    is(value) ? value : fail(path, expected, value);

/** Any value at all, checked later by whoever reads it (the plan, by validatePlan). */
export const anything: Reader<unknown> = (value) => value;

export const string = check('a string', (v): v is string => typeof v === 'string');
export const nonEmpty = check('a non-empty string', (v): v is string => typeof v === 'string' && v !== '');
export const boolean = check('true or false', (v): v is boolean => typeof v === 'boolean');
export const isoDateTime = check(
  'an ISO date-time',
  (v): v is string => typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v)),
);
/** A PostgreSQL WAL position (`pg_lsn`), e.g. `0/3000148`. */
export const walPosition = check(
  'a WAL position like 0/3000148',
  (v): v is string => typeof v === 'string' && /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i.test(v),
);

export function number(min = -Infinity, max = Infinity): Reader<number> {
  return check(
    `a number from ${min} to ${max}`,
    (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max,
  );
}

export function int(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Reader<number> {
  return check(
    `a whole number from ${min} to ${max}`,
    (v): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
  );
}

export function oneOf<const T extends string>(values: readonly T[]): Reader<T> {
  return check(`one of ${values.join(', ')}`, (v): v is T => values.includes(v as T));
}

export function optional<T>(read: Reader<T>): Reader<T | undefined> {
  return (value, path) => (value === undefined ? undefined : read(value, path));
}

export function nullish<T>(read: Reader<T>): Reader<T | null | undefined> {
  return (value, path) => (value === undefined || value === null ? value : read(value, path));
}

export function withDefault<T>(read: Reader<T>, fallback: T): Reader<T> {
  return (value, path) => (value === undefined ? fallback : read(value, path));
}

export function array<T>(read: Reader<T>): Reader<T[]> {
  return (value, path) =>
    Array.isArray(value) ? value.map((item, i) => read(item, `${path}[${i}]`)) : fail(path, 'a list', value);
}

type Shape = Record<string, Reader<unknown>>;
type Optional<S extends Shape> = { [K in keyof S]: undefined extends Read<S[K]> ? K : never }[keyof S];
export type ObjectOf<S extends Shape> = {
  [K in Exclude<keyof S, Optional<S>>]: Read<S[K]>;
} & { [K in Optional<S>]?: Exclude<Read<S[K]>, undefined> };

/** An object with these fields (a field read as undefined is left out); other fields are dropped. */
export function object<S extends Shape>(shape: S): Reader<ObjectOf<S>> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
    const fields = value as Record<string, unknown>;
    const read: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      const result = field(fields[key], path ? `${path}.${key}` : key);
      if (result !== undefined) read[key] = result;
    }
    return read as ObjectOf<S>;
  };
}
