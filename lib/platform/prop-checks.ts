/**
 * Constructor checks for the platform constructs' props: each throws one line naming the construct
 * path, the prop, what was given and what is expected.
 */
export function requireInteger(path: string, prop: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${path}: ${prop} is ${value}; expected a whole number from ${min} to ${max}`);
  }
}

export function requireMultipleOf(path: string, prop: string, value: number, step: number): void {
  if (value % step !== 0) throw new Error(`${path}: ${prop} is ${value}; expected a multiple of ${step}`);
}

export function requireMatch(
  path: string,
  prop: string,
  value: string,
  pattern: RegExp,
  expected: string,
): void {
  if (!pattern.test(value)) throw new Error(`${path}: ${prop} is "${value}"; expected ${expected}`);
}
