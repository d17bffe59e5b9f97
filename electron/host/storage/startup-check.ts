import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import sqlite3 from 'sqlite3';

/**
 * Start-up checks of the terminal's database, before the host opens it:
 * a size/header check, then `PRAGMA quick_check` on a read-only connection.
 * A corrupt database, or an empty one where data was (a zero-length or
 * missing file while the data key and the marker written after the first
 * successful start say there was a database), is moved aside with its
 * -wal/-shm — never silently replaced or deleted — and the finding is kept
 * for the staff screen and the heartbeat (device kind `storage`). The host then
 * starts on a fresh database, so the hall keeps issuing tickets.
 *
 * Pure decisions (`classifyHeader`) are separate from the I/O.
 */
export type StorageProblem = 'corrupt' | 'not-a-database' | 'emptied' | 'missing';

export interface StorageFinding {
  problem: StorageProblem;
  /** What was found, for staff and logs (no personal data: SQLite's own messages). */
  detail: string;
  /** Where the bad files were moved (the main file's new path); null when there was nothing to move. */
  movedTo: string | null;
  at: string;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');
/** Written beside the database after the first successful open: "a database existed here". */
export const DATA_MARKER = 'liuliu.db.present';

/** The first 100 bytes of a file (or fewer) → what they say about it. */
export function classifyHeader(size: number, head: Buffer): 'empty' | 'sqlite' | 'not-a-database' {
  if (size === 0) return 'empty';
  if (size < 100 || !head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) return 'not-a-database';
  return 'sqlite';
}

function readHead(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(100);
    const read = readSync(fd, head, 0, 100, 0);
    return head.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** `PRAGMA quick_check` on a read-only connection: 'ok' or SQLite's first complaints. */
export async function quickCheck(file: string): Promise<string> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(opened)));
  });
  try {
    const rows = await new Promise<{ quick_check: string }[]>((resolve, reject) => {
      db.all('PRAGMA quick_check(5)', (err: Error | null, result: { quick_check: string }[]) => (err ? reject(err) : resolve(result)));
    });
    const messages = rows.map((row) => row.quick_check);
    return messages.length === 1 && messages[0] === 'ok' ? 'ok' : messages.join('; ');
  } catch (err) {
    return (err as Error).message;
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

/** Moves the database and its -wal/-shm aside as `<name>.<problem>-<stamp>`; returns the main file's new path. */
function moveAside(file: string, problem: StorageProblem, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = join(dirname(file), `${basename(file)}.${problem}-${stamp}`);
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}

/**
 * Checks `file` before it is opened. `hadData` says whether the terminal has
 * been running before (its data key existed before this start): with the
 * marker, it turns a missing or zero-length database into a finding.
 */
export async function checkDatabaseFile(file: string, options: { hadData: boolean; now: Date }): Promise<StorageFinding | null> {
  const marker = join(dirname(file), DATA_MARKER);
  const expected = options.hadData && existsSync(marker);
  const at = options.now.toISOString();
  if (!existsSync(file)) {
    return expected ? { problem: 'missing', detail: `${basename(file)} is gone although this terminal had data`, movedTo: null, at } : null;
  }
  const size = statSync(file).size;
  const kind = classifyHeader(size, size === 0 ? Buffer.alloc(0) : readHead(file));
  if (kind === 'empty') {
    // A zero-length file where there was data: keep it (and any -wal) as evidence; a first start's empty file is fine.
    if (!expected) return null;
    return { problem: 'emptied', detail: `${basename(file)} is 0 bytes although this terminal had data`, movedTo: moveAside(file, 'emptied', options.now), at };
  }
  if (kind === 'not-a-database') {
    return { problem: 'not-a-database', detail: `${basename(file)} (${size} bytes) has no SQLite header`, movedTo: moveAside(file, 'not-a-database', options.now), at };
  }
  const verdict = await quickCheck(file);
  if (verdict === 'ok') return null;
  return { problem: 'corrupt', detail: `quick_check: ${verdict.slice(0, 500)}`, movedTo: moveAside(file, 'corrupt', options.now), at };
}

/** After a good open: remember that this terminal has a database (the next start can tell "emptied" from "new"). */
export function markDataPresent(file: string): void {
  const marker = join(dirname(file), DATA_MARKER);
  if (!existsSync(marker)) writeFileSync(marker, `${new Date().toISOString()}\n`, { mode: 0o600 });
}

/** The finding of the last recovery, kept beside the database so staff see it after a restart too. */
export const FINDING_FILE = 'storage-finding.json';

export function saveFinding(dataDir: string, finding: StorageFinding): void {
  writeFileSync(join(dataDir, FINDING_FILE), `${JSON.stringify(finding)}\n`, { mode: 0o600 });
}

export function loadFinding(dataDir: string): StorageFinding | null {
  const file = join(dataDir, FINDING_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StorageFinding;
  } catch {
    return null;
  }
}

/** SQLITE_FULL from sqlite3, ENOSPC/EDQUOT from fs: the disk (or the database's page limit) is full. */
export function isDiskFull(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
  return typeof message === 'string' && /SQLITE_FULL|ENOSPC|database or disk is full/.test(message);
}
