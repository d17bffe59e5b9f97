import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { LogFile, LogUpload } from '../../../platform-contract/contract.js';
import type { LogTargetView } from '../../contract/index.js';

/**
 * Log export. The files under `<dataDir>/logs` were redacted as they were
 * written (electron/host/logging), so they are copied as they are: to a
 * directory staff choose among the offered targets (a configured directory,
 * or a drive mounted directly inside one), or uploaded to the platform within
 * its size limit, newest lines first.
 */
export interface LogFileInfo {
  name: string;
  path: string;
  bytes: number;
  modifiedMs: number;
}

/** The log files, newest first. */
export function logFiles(logDir: string): LogFileInfo[] {
  let names: string[];
  try {
    names = readdirSync(logDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^[\w.-]+\.log$/.test(name))
    .map((name) => {
      const path = join(logDir, name);
      const stat = statSync(path);
      return { name, path, bytes: stat.size, modifiedMs: stat.mtimeMs };
    })
    .filter((file) => file.bytes >= 0)
    .sort((a, b) => b.modifiedMs - a.modifiedMs || b.name.localeCompare(a.name));
}

/** The configured directories and the directories directly inside them (mounted drives), each with whether it can be written now. */
export function logTargets(configured: readonly string[]): LogTargetView[] {
  const out: LogTargetView[] = [];
  const seen = new Set<string>();
  const add = (path: string, available: boolean): void => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, available });
  };
  for (const dir of configured) {
    const path = resolve(dir);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      isDir = false;
    }
    add(path, isDir);
    if (!isDir) continue;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !entry.name.startsWith('liuliu-logs-')) add(join(path, entry.name), true);
    }
  }
  return out;
}

/** Copies the log files into a new folder inside `target`, readable by its owner only. */
export function exportLogsTo(logDir: string, target: string, folderName: string): { directory: string; files: number; bytes: number } {
  const directory = join(target, folderName);
  mkdirSync(directory, { recursive: false, mode: 0o700 });
  let bytes = 0;
  const files = logFiles(logDir);
  for (const file of files) {
    const to = join(directory, basename(file.name));
    copyFileSync(file.path, to);
    chmodSync(to, 0o600);
    bytes += statSync(to).size;
  }
  return { directory, files: files.length, bytes };
}

/** The last `maxBytes` of a file, cut at a line start so no record is half sent. */
function tail(path: string, size: number, maxBytes: number): { text: string; truncated: boolean } {
  if (size <= maxBytes) return { text: readFileSync(path, 'utf8'), truncated: false };
  const buffer = Buffer.alloc(maxBytes);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, maxBytes, size - maxBytes);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString('utf8');
  const firstLine = text.indexOf('\n');
  return { text: firstLine === -1 ? '' : text.slice(firstLine + 1), truncated: true };
}

/**
 * The upload body: files newest first, each whole or its newest lines, as
 * many as fit in `maxBytes` of JSON. Sizes are measured on the serialised
 * JSON, so escapes count.
 */
export function buildLogUpload(logDir: string, maxBytes: number, at: Date, commandId?: string): { upload: LogUpload; bytes: number; truncated: boolean } {
  const files: LogFile[] = [];
  const base: LogUpload = { at: at.toISOString(), ...(commandId === undefined ? {} : { commandId }), files };
  let used = Buffer.byteLength(JSON.stringify(base));
  let truncated = false;
  for (const file of logFiles(logDir)) {
    const overhead = Buffer.byteLength(JSON.stringify({ name: file.name, text: '', truncated: true })) + 1;
    let room = maxBytes - used - overhead;
    if (room <= 0) {
      truncated = true;
      break;
    }
    // JSON escaping can grow the text: shrink until it fits.
    for (;;) {
      const part = tail(file.path, file.bytes, room);
      const entry: LogFile = { name: file.name, text: part.text, truncated: part.truncated };
      const size = Buffer.byteLength(JSON.stringify(entry)) + 1;
      if (used + size <= maxBytes) {
        files.push(entry);
        used += size;
        truncated ||= part.truncated;
        break;
      }
      room = Math.floor(room * 0.8);
      if (room < 64) {
        truncated = true;
        break;
      }
    }
    if (truncated) break;
  }
  return { upload: base, bytes: Buffer.byteLength(JSON.stringify(base)), truncated };
}
