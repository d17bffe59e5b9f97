import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { decodeRequestPath } from './request-target.js';

/** Content types of the files Liuliu serves (renderer builds, pages, sounds). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ico': 'image/x-icon',
};

export type StaticOutcome = 'served' | 'bad-path' | 'not-found';

/**
 * Serves one file under `root` for a raw (percent-encoded) URL path. Never
 * leaves the root (`..`, encoded or not), never throws: the caller answers
 * 400 for `bad-path` and 404 for `not-found` in its own format. A directory
 * serves its index.html when `directoryIndex` is set.
 */
export async function serveStaticFile(
  res: ServerResponse,
  options: { root: string; pathname: string; headOnly: boolean; directoryIndex?: boolean; headers?: Record<string, string> },
): Promise<StaticOutcome> {
  const decoded = decodeRequestPath(options.pathname);
  if (decoded === undefined) return 'bad-path';
  const root = resolve(options.root);
  let file = resolve(root, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (file !== root && !file.startsWith(root + sep)) return 'not-found';
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory() === true && options.directoryIndex === true) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (info === null || !info.isFile()) return 'not-found';
  res.writeHead(200, { ...options.headers, 'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': String(info.size) });
  if (options.headOnly) {
    res.end();
    return 'served';
  }
  const stream = createReadStream(file);
  // A file that vanishes or fails mid-read ends this response, not the process.
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return 'served';
}
