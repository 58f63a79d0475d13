import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../domain/errors';
import { showValue } from '../domain/safe-text';

/** The picture written beside a JSON report. */
export function svgBeside(file: string): string {
  return file.replace(/\.json$/i, '') + '.svg';
}

/**
 * Checks, before a rehearsal starts, that the report and its picture can be written: the folder exists
 * (or is created) and is writable, and neither file is a folder or read-only. Finding out after a
 * 90-second rehearsal would lose it.
 */
export async function ensureReportWritable(file: string): Promise<void> {
  const where = `--report ${showValue(file)}`;
  const folder = dirname(resolve(file));
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
  } catch (error) {
    throw new InputError(`${where}: cannot write to folder ${showValue(folder)} (${codeOf(error)})`);
  }
  for (const target of [file, svgBeside(file)]) {
    const existing = await stat(target).catch(() => undefined);
    if (!existing) continue;
    if (!existing.isFile()) throw new InputError(`${where}: ${showValue(target)} exists and is not a file`);
    await access(target, constants.W_OK).catch((error: unknown) => {
      throw new InputError(`${where}: ${showValue(target)} is not writable (${codeOf(error)})`);
    });
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
