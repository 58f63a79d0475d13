import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNTHESIS_CACHE_ENV } from '../../local/synthesis-cache';

/** A fresh synthesis cache for this run, inherited by every worker (removed by global-teardown.ts). */
export default function globalSetup(): void {
  process.env[SYNTHESIS_CACHE_ENV] = mkdtempSync(join(tmpdir(), 'cutover-synthesis-'));
}
