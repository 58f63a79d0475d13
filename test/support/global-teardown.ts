import { rmSync } from 'node:fs';
import { SYNTHESIS_CACHE_ENV } from '../../local/synthesis-cache';

export default function globalTeardown(): void {
  const cache = process.env[SYNTHESIS_CACHE_ENV];
  if (cache) rmSync(cache, { recursive: true, force: true });
}
