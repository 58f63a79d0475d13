import { open } from 'node:fs/promises';
import { PAYLOAD_MAX_BYTES } from '../domain/aws-limits';
import { PlanValidationError } from '../domain/errors';
import { checkPlanSize, decodePlanBytes, parsePlanText, type ValidPlan } from '../domain/plan/parse';
import { showValue } from '../domain/safe-text';
import { readProbeAllowList } from './probe-allow-list';

/** Reads and validates a plan file; a missing or unreadable file is reported like any other plan problem. */
export async function loadPlan(file: string): Promise<ValidPlan> {
  let bytes: Uint8Array;
  try {
    bytes = await readAtMost(file, PAYLOAD_MAX_BYTES + 1);
  } catch (error) {
    if (error instanceof PlanValidationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${code ?? 'error'})`;
    throw new PlanValidationError([{ path: '', message: `plan file ${showValue(file)} ${reason}` }]);
  }
  return parsePlanText(decodePlanBytes(bytes), { allowedProbeTargets: await readProbeAllowList() });
}

/** At most `limit` bytes of the file: a huge file or a device never fills memory. */
async function readAtMost(file: string, limit: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const { size, isFile } = await handle.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
    if (isFile) checkPlanSize(size);
    const buffer = new Uint8Array(limit);
    const { bytesRead } = await handle.read(buffer, 0, limit, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
