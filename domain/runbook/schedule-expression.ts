/**
 * EventBridge Scheduler expressions: `rate(5 minutes)` or `cron(minutes hours day-of-month month
 * day-of-week year)`, where one of day-of-month and day-of-week is `?`. One-time `at(…)` schedules
 * are not runbooks.
 */
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;
const CRON_FIELD = /^[0-9A-Z*?,/\-LW#]+$/i;

/** Why the expression is not accepted, or undefined when it is. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate) {
    const [, amount, unit] = rate as unknown as [string, string, string];
    if (Number(amount) < 1) return 'a rate must be at least 1';
    if ((Number(amount) === 1) !== !unit.endsWith('s')) {
      return `write "${amount} ${Number(amount) === 1 ? unit.replace(/s$/, '') : `${unit.replace(/s$/, '')}s`}"`;
    }
    return undefined;
  }
  const cron = CRON.exec(expression);
  if (!cron) return 'expected rate(<number> <minutes|hours|days>) or cron(<6 fields>)';
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  }
  const bad = fields.find((field) => !CRON_FIELD.test(field));
  if (bad) return `${JSON.stringify(bad)} is not a cron field`;
  if ((fields[2] === '?') === (fields[4] === '?')) {
    return 'exactly one of day-of-month (3rd field) and day-of-week (5th field) must be "?"';
  }
  return undefined;
}

/** Whether `zone` is an IANA time zone this runtime knows (EventBridge Scheduler takes the same names). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
