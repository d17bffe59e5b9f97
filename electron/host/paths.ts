import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository (or installed app) root: the nearest folder above this file
 * holding package.json. Works from the TypeScript sources (tests, tsx) and
 * from the compiled dist/ tree alike.
 */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Liuliu app root (no package.json above the host)');
    dir = parent;
  }
}

export function contentRoot(): string {
  return join(appRoot(), 'content');
}

export function rendererDist(): string {
  return join(appRoot(), 'dist', 'renderer');
}
