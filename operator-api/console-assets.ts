import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

/** How the console signs in: nothing to do locally (the rehearsal's operator), Cognito's hosted login on AWS. */
export type ConsoleConfig =
  | { readonly auth: 'local' }
  | { readonly auth: 'cognito'; readonly domain: string; readonly clientId: string };

/** The console's own files (next to this module; the Lambda bundle copies them beside its handler). */
export const CONSOLE_DIRECTORY = join(__dirname, 'console');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** uPlot, served from node_modules locally and from the bundle's console/vendor on Lambda. */
function vendorDirectory(): string {
  const bundled = join(CONSOLE_DIRECTORY, 'vendor');
  return existsSync(bundled) ? bundled : dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
}

const FILES: Record<string, () => string> = {
  '/': () => join(CONSOLE_DIRECTORY, 'index.html'),
  '/execution': () => join(CONSOLE_DIRECTORY, 'execution.html'),
  '/console.js': () => join(CONSOLE_DIRECTORY, 'console.js'),
  '/console.css': () => join(CONSOLE_DIRECTORY, 'console.css'),
  '/vendor/uPlot.iife.min.js': () => join(vendorDirectory(), 'uPlot.iife.min.js'),
  '/vendor/uPlot.min.css': () => join(vendorDirectory(), 'uPlot.min.css'),
};

/**
 * The console's static files and its sign-in configuration: the same for everyone, no cutover data
 * (that comes from the authenticated /console/api routes).
 */
export function consoleAssets(config: ConsoleConfig): Hono {
  const assets = new Hono();
  assets.get('/config.json', (c) => c.json(config));
  for (const [path, file] of Object.entries(FILES)) {
    assets.get(path, async (c) => {
      const name = file();
      const type = TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
      return c.body(await readFile(name, 'utf8'), 200, {
        'content-type': type,
        'cache-control': 'no-cache',
      });
    });
  }
  return assets;
}
