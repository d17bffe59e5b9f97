import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient, type CallResult } from '../../../renderer/src/api/client.js';
import { parseConfig } from '../config/load.js';
import { startHost, type KioskHost } from '../index.js';
import { createLogger, silentLogger } from '../logging/logger.js';
import { memoryPipe } from '../rpc/memory-transport.js';
import { callValue as value } from '../../../tests/support/host.js';
import { classifyHeader, isDiskFull } from './startup-check.js';

// The host's data at rest and its start-up checks, on a real data dir:
// file modes, a corrupt or emptied database moved aside and reported, a full
// disk reported as such (host alive), scan leftovers swept.
const CLOCK = Date.parse('2026-11-25T09:30:00+08:00');
let host: KioskHost | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await host?.stop();
  host = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-at-rest-'));
  dirs.push(dir);
  return dir;
}

async function boot(dataDir: string, logToFile = false): Promise<{ kiosk: KioskHost; client: ApiClient }> {
  const offset = CLOCK - Date.now();
  const config = parseConfig(
    { devices: { idcard: { kind: 'none' }, scanner: { kind: 'none' } }, queue: { listen: { port: 0 } }, logging: { level: 'info' } },
    'test',
    { LIULIU_DATA_DIR: dataDir },
  );
  const kiosk = await startHost(config, { ...(logToFile ? {} : { logger: silentLogger() }), now: () => new Date(Date.now() + offset) });
  host = kiosk;
  const pipe = memoryPipe();
  kiosk.attach(pipe.host);
  return { kiosk, client: createApiClient(pipe.renderer, 30_000) };
}

async function issueTicket(client: ApiClient, tag: string) {
  const categoryId = (await value(client, 'queue.catalog', {})).categories[0]?.id ?? 'A';
  return client.call('queue.issue', { requestId: `at-rest-${tag}-${Date.now()}`, categoryId });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    return stat.isDirectory() ? [path, ...walk(path)] : [path];
  });
}

async function storageStatus(client: ApiClient) {
  return (await value(client, 'devices.status', {})).find((status) => status.device === 'storage');
}

describe('data at rest', () => {
  it('keeps every file under the data dir 0600 and every directory 0700, whatever the umask and older files', { timeout: 60_000 }, async () => {
    const previous = process.umask(0o022);
    try {
      const dataDir = tempDir();
      // Left by an older version: world-readable.
      mkdirSync(join(dataDir, 'documents'), { recursive: true, mode: 0o755 });
      writeFileSync(join(dataDir, 'documents', 'receipt-old.pdf'), 'old', { mode: 0o644 });
      const { kiosk, client } = await boot(dataDir, true);
      const ticket = await issueTicket(client, 'modes');
      expect(ticket.ok).toBe(true);
      await expect.poll(() => existsSync(join(dataDir, 'printer-jobs')) && readdirSync(join(dataDir, 'printer-jobs')).some((name) => name.endsWith('.txt')), { timeout: 15_000 }).toBe(true);
      expect(existsSync(join(dataDir, 'liuliu.db-wal'))).toBe(true);
      await kiosk.stop();
      host = undefined;
      const loose = [dataDir, ...walk(dataDir)]
        .filter((path) => !lstatSync(path).isSymbolicLink())
        .map((path) => ({ path: path.slice(dataDir.length) || '/', mode: statSync(path).mode & 0o777 }))
        .filter(({ mode }) => (mode & 0o077) !== 0);
      expect(loose).toEqual([]);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(previous);
    }
  });
});

describe('start-up checks', () => {
  it('moves a database with a corrupt page aside, reports it to staff, and keeps issuing on a fresh one', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const first = await boot(dataDir);
    for (let i = 0; i < 5; i++) expect((await issueTicket(first.client, `c${i}`)).ok).toBe(true);
    await first.kiosk.stop();
    host = undefined;
    const file = join(dataDir, 'liuliu.db');
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(8 * 4096);
    // Garbage over pages 3..6 (b-tree pages of the tables just written).
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4 * 4096, 0xa5), 0, 4 * 4096, 2 * 4096);
    closeSync(fd);

    const second = await boot(dataDir);
    const status = await storageStatus(second.client);
    expect(status?.state).toBe('degraded');
    expect(status?.reason).toMatchObject({ code: 'device.storageRecovered', params: { problem: 'corrupt' } });
    const aside = readdirSync(dataDir).filter((name) => name.startsWith('liuliu.db.corrupt-'));
    expect(aside.length).toBeGreaterThanOrEqual(1);
    expect(statSync(join(dataDir, aside.find((name) => !/-(wal|shm)$/.test(name)) ?? '')).size).toBe(size);
    expect((await issueTicket(second.client, 'after')).ok).toBe(true);
    // Still reported after the next restart: staff must act on it.
    await second.kiosk.stop();
    const third = await boot(dataDir);
    expect((await storageStatus(third.client))?.state).toBe('degraded');
  });

  it('does not start silently empty when the database was emptied: the 0-byte file is kept aside and reported', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const first = await boot(dataDir);
    expect((await issueTicket(first.client, 'e')).ok).toBe(true);
    await first.kiosk.stop();
    host = undefined;
    truncateSync(join(dataDir, 'liuliu.db'), 0);
    for (const suffix of ['-wal', '-shm']) rmSync(join(dataDir, `liuliu.db${suffix}`), { force: true });

    const second = await boot(dataDir);
    const status = await storageStatus(second.client);
    expect(status?.state).toBe('degraded');
    expect(status?.reason).toMatchObject({ code: 'device.storageRecovered', params: { problem: 'emptied', movedTo: expect.stringContaining('emptied') } });
    expect(readdirSync(dataDir).some((name) => name.startsWith('liuliu.db.emptied-'))).toBe(true);
  });

  it('starts clean on a new terminal (no key, no marker): an empty file is not a finding', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'liuliu.db'), '');
    const { client } = await boot(dataDir);
    expect((await storageStatus(client))?.state).toBe('ok');
  });

  it('deletes scanned pages a crash left in the scan temp dir', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'scans', 'liuliu-scan-abc123'), { recursive: true });
    writeFileSync(join(dataDir, 'scans', 'liuliu-scan-abc123', 'out1.pnm'), 'a citizen page');
    await boot(dataDir);
    expect(readdirSync(join(dataDir, 'scans'))).toEqual([]);
  });
});

describe('a full disk', () => {
  it('answers a clear disk-full error, shows it to staff, and the host stays up', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const { kiosk, client } = await boot(dataDir);
    expect((await issueTicket(client, 'before')).ok).toBe(true);
    // The database may not grow by one more page: what a full disk does to SQLite (SQLITE_FULL).
    const pages = (await kiosk.context.db.get<{ page_count: number }>('PRAGMA page_count'))?.page_count ?? 0;
    await kiosk.context.db.exec(`PRAGMA max_page_count = ${pages}`);
    let last: CallResult<'robot.callStaff'> = await client.call('robot.callStaff', { reason: 'x'.repeat(190) });
    for (let i = 0; i < 30 && last.ok; i++) last = await client.call('robot.callStaff', { reason: `${i}`.repeat(150) });
    expect(!last.ok && last.error).toMatchObject({ code: 'unavailable', details: { reason: 'disk-full' } });
    expect(await storageStatus(client)).toMatchObject({ state: 'error', reason: { code: 'device.storageFull', params: {} } });
    // Still answering.
    expect((await value(client, 'system.ping', {})).at).toBeTruthy();
  });

  it('never exits the host when the log writer runs out of space', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    // Every log file write fails with ENOSPC: /dev/full.
    symlinkSync('/dev/full', join(dir, 'liuliu.1.log'));
    const errors: Error[] = [];
    const { logger } = createLogger({ level: 'info', dir, onWriteError: (err) => errors.push(err) });
    for (let i = 0; i < 200; i++) logger.info({ i, filler: 'y'.repeat(2000) }, 'filling a full disk');
    await expect.poll(() => errors.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(isDiskFull(errors[0])).toBe(true);
    logger.info('still alive');
  });
});

describe('pure checks', () => {
  it('tells an empty file, a non-database and an SQLite header apart', () => {
    const header = Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.alloc(84)]);
    expect(classifyHeader(0, Buffer.alloc(0))).toBe('empty');
    expect(classifyHeader(4096, Buffer.alloc(100, 0x41))).toBe('not-a-database');
    expect(classifyHeader(50, header.subarray(0, 50))).toBe('not-a-database');
    expect(classifyHeader(4096, header)).toBe('sqlite');
    expect(isDiskFull({ code: 'SQLITE_FULL' })).toBe(true);
    expect(isDiskFull(new Error('SQLITE_FULL: database or disk is full'))).toBe(true);
    expect(isDiskFull(new Error('SQLITE_BUSY'))).toBe(false);
  });
});
