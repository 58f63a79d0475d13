import type { CliIo } from '../../cli/io';

export interface CapturedIo extends CliIo {
  readonly stdout: string;
  readonly stderr: string;
  readonly stderrLines: string[];
}

/** A CliIo that records what a command printed. */
export function captureIo(): CapturedIo {
  let stdout = '';
  let stderr = '';
  return {
    out: (text) => void (stdout += text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void (stderr += text.endsWith('\n') ? text : `${text}\n`),
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    get stderrLines() {
      return stderr.split('\n').filter(Boolean);
    },
  };
}
