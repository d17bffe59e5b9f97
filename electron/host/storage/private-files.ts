import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The kiosk's data dir holds personal data (the database and its -wal/-shm,
 * logs, printer jobs, saved documents, keys): readable by the kiosk user
 * only. New files get it from the umask set at host start (so files made by
 * sqlite, pino-roll's worker or any library are covered too); explicit modes
 * where the host creates files; and a sweep at start that tightens whatever
 * an older version or an operator left looser.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;
/** Group and others: no bits. */
export const PRIVATE_UMASK = 0o077;

/** Sets the process umask so every file the host (or a library in it) creates is 0600 and every directory 0700. */
export function restrictUmask(): void {
  process.umask(PRIVATE_UMASK);
}

/** Creates `dir` (and parents) as 0700 and makes sure it is 0700 when it already existed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Tightens everything under `root` (and root itself): directories 0700,
 * files 0600. Symlinks are left alone (never followed). Returns how many
 * entries were changed, for the start-up log.
 */
export function tightenTree(root: string): number {
  let changed = 0;
  const visit = (path: string): void => {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      return; // gone meanwhile
    }
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((stat.mode & 0o777) !== wanted) {
      chmodSync(path, wanted);
      changed += 1;
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return changed;
}
