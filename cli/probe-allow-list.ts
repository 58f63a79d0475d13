import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../domain/errors';
import { parseAllowedProbeTargets, PROBE_ALLOW_LIST_KEY } from '../domain/plan/probe-target';

/** The CDK app's configuration, where the orchestrator's allow-lists live. */
const CONFIG_FILE = 'cdk.json';

/**
 * The private addresses probes may reach, from `cdk.json` context in the working directory (the same
 * configuration the orchestrator is deployed with); none when there is no such file.
 */
export async function readProbeAllowList(directory = process.cwd()): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(directory, CONFIG_FILE), 'utf8');
  } catch {
    return [];
  }
  const where = `${CONFIG_FILE} context "${PROBE_ALLOW_LIST_KEY}"`;
  try {
    const config = JSON.parse(text) as { context?: Record<string, unknown> };
    return parseAllowedProbeTargets(config.context?.[PROBE_ALLOW_LIST_KEY], where);
  } catch (error) {
    throw new InputError(
      error instanceof SyntaxError ? `${CONFIG_FILE} is not valid JSON` : (error as Error).message,
    );
  }
}
