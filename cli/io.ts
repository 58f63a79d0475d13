/** Where a command writes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export const ExitCode = { ok: 0, failed: 1, invalidInput: 2, notFound: 3, conflict: 4, noAccess: 5 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  done (watch: the cutover completed)
  1  the cutover rolled back or failed (watch, rehearse), or the command failed
  2  invalid input: a bad plan, argument or option
  3  no such execution (rehearse: completed, but not with zero downtime)
  4  nothing to do: nothing waits for that answer, the execution has ended, or another version of the plan runs
  5  no access: no AWS credentials, the stack is not deployed, or the principal lacks the OperatorPolicy`;
