import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseStatusChange } from '../../platform-contract/contract.js';
import { startLoopbackPlatform, type LoopbackPlatform } from '../../platform/testing.js';
import { createApiClient, type ApiClient } from '../../renderer/src/api/client.js';
import { parseConfig } from '../../electron/host/config/load.js';
import { startHost, type KioskHost } from '../../electron/host/index.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import { hashPin } from '../../electron/host/staff/credentials.js';
import { memoryPipe } from '../../electron/host/rpc/memory-transport.js';
import { startupContent, syncModule, type SyncHostModule } from '../../electron/host/sync/module.js';
import { callValue as call } from '../support/host.js';

/**
 * The sync capability inside a real host (startHost, RPC over the in-memory
 * pipe, SQLite, the outbox) against the reference platform on loopback.
 */
const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
const PIN = '246810';
const hallDir = new URL('../../content/hall/', import.meta.url);
const shipped = Object.fromEntries(['hall.json', 'services.json', 'intents.json'].map((name) => [name, readFileSync(new URL(name, hallDir), 'utf8')]));
const shippedHall = JSON.parse(shipped['hall.json'] as string) as { name: string; version: string; departments: unknown[] };

let platform: LoopbackPlatform | undefined;
let host: KioskHost | undefined;
let extraModule: SyncHostModule | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await extraModule?.stop?.();
  extraModule = undefined;
  await host?.stop();
  host = undefined;
  await platform?.close();
  platform = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-sync-int-'));
  dirs.push(dir);
  return dir;
}

function hostConfig(dataDir: string, platformSection: Record<string, unknown> | undefined) {
  return parseConfig(
    {
      terminalId: terminal.id,
      staffPinHash: hashPin(PIN),
      devices: { idcard: { kind: 'none' }, printer: { kind: 'none' } },
      // The embedded hall queue's default port (8790) may be taken by another host on this machine.
      queue: { listen: { port: 0 } },
      logging: { level: 'silent' },
      ...(platformSection === undefined ? {} : { platform: platformSection }),
    },
    'test',
    { LIULIU_DATA_DIR: dataDir },
  );
}

/** A host wired to the loopback platform; the timer is slow so that the test decides when cycles run (sync.now). */
async function boot(options: { withPlatform?: boolean } = {}): Promise<{ client: ApiClient; dataDir: string; platform: LoopbackPlatform }> {
  platform = await startLoopbackPlatform({ terminals: [terminal] });
  const dataDir = tempDir();
  const section = options.withPlatform === false ? undefined : { baseUrl: platform.url, secret: terminal.secret, intervalSeconds: 3600 };
  host = await startHost(hostConfig(dataDir, section), { logger: silentLogger() });
  const pipe = memoryPipe();
  host.attach(pipe.host);
  return { client: createApiClient(pipe.renderer), dataDir, platform };
}

async function queueRating(id: string): Promise<void> {
  const { db, outbox } = host!.context;
  await db.transaction((tx) => outbox.append(tx, { id, kind: 'rating', schemaVersion: 1, payload: { stars: 5, serviceId: 'ps-idcard-reissue' } }));
}

/** A variant of the shipped hall with another name and version (valid) or a broken cross-reference (invalid). */
function hallPackage(change: (hall: Record<string, unknown> & typeof shippedHall) => void): { path: string; bytes: Buffer }[] {
  const hall = JSON.parse(shipped['hall.json'] as string) as Record<string, unknown> & typeof shippedHall;
  change(hall);
  return [
    { path: 'hall.json', bytes: Buffer.from(JSON.stringify(hall, null, 2)) },
    { path: 'services.json', bytes: Buffer.from(shipped['services.json'] as string) },
    { path: 'intents.json', bytes: Buffer.from(shipped['intents.json'] as string) },
  ];
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('records: outbox → worker → platform', () => {
  it('a record queued through the outbox reaches the platform exactly once; staff controls need the PIN', async () => {
    const { client, platform } = await boot();
    await queueRating('rating-int-1');
    await queueRating('rating-int-2');

    const refused = await client.call('sync.now', {});
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'refused', details: { reason: 'staff' } });
    const wrong = await client.call('staff.login', { pin: '0000' });
    expect(wrong.ok ? null : wrong.error).toMatchObject({ code: 'refused', details: { reason: 'wrong' } });

    await call(client, 'staff.login', { pin: PIN });
    const status = await call(client, 'sync.now', {});
    expect(status).toMatchObject({ configured: true, online: true, backlog: 0, deadLetters: 0, lastError: null });
    expect(status.lastSyncAt).not.toBeNull();
    // A second cycle (and the start cycle that ran on its own) sends nothing again.
    await call(client, 'sync.now', {});
    expect((await platform.admin.recordIds()).sort()).toEqual(['rating-int-1', 'rating-int-2']);
    const stats = await platform.admin.stats();
    expect(stats.stored).toBe(2);
    expect(await call(client, 'sync.status', {})).toMatchObject({ configured: true, online: true, backlog: 0 });

    const devices = await call(client, 'devices.status', {});
    expect(devices.find((device) => device.device === 'platform')).toMatchObject({ state: 'ok' });
    // The heartbeat carries versions and device statuses.
    const heartbeat = await platform.server.store.heartbeat(terminal.id);
    expect(heartbeat).toMatchObject({ appVersion: expect.stringMatching(/^\d+\.\d+\.\d+/), backlog: 0 });
    expect(heartbeat?.devices['platform']).toBeDefined();

    await call(client, 'staff.logout', {});
    const afterLogout = await client.call('sync.deadLetters', {});
    expect(afterLogout.ok).toBe(false);
  });

  it('lists dead letters without payloads for staff', async () => {
    const { client } = await boot();
    const { db, outbox } = host!.context;
    await db.transaction((tx) => outbox.append(tx, { id: 'unknown-kind-1', kind: 'no-such-kind', schemaVersion: 1, payload: { secret: '张三丰' } }));
    await call(client, 'staff.login', { pin: PIN });
    const status = await call(client, 'sync.now', {});
    expect(status).toMatchObject({ backlog: 0, deadLetters: 1 });
    const letters = await call(client, 'sync.deadLetters', {});
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ id: 'unknown-kind-1', kind: 'no-such-kind', schemaVersion: 1 });
    expect(letters[0]?.reason.length).toBeGreaterThan(0);
    expect(JSON.stringify(letters)).not.toContain('张三丰');
    expect((await call(client, 'devices.status', {})).find((device) => device.device === 'platform')).toMatchObject({ state: 'degraded' });
  });
});

describe('content updates between citizen sessions', () => {
  it('a package published during a session goes in force only when the session ends', async () => {
    const { client, dataDir, platform } = await boot();
    await call(client, 'staff.login', { pin: PIN });
    const before = await call(client, 'system.info', {});
    expect(before).toMatchObject({ hallName: shippedHall.name, contentVersion: shippedHall.version });

    await call(client, 'session.begin', {});
    await platform.admin.publishContent(
      '2026.11.2',
      hallPackage((hall) => {
        hall.name = '新版市民之家';
        hall.version = '2.0.0';
      }),
    );
    expect((await call(client, 'sync.now', {})).lastError).toBeNull();
    // Staged on disk, not in force: the citizen's visit keeps the hall it started with.
    expect(existsSync(join(dataDir, 'content', '2026.11.2', 'hall.json'))).toBe(true);
    expect(await call(client, 'system.info', {})).toMatchObject({ hallName: shippedHall.name, contentVersion: shippedHall.version });
    expect(existsSync(join(dataDir, 'content', 'current'))).toBe(false);

    await call(client, 'session.end', { reason: 'logout' });
    expect(await call(client, 'system.info', {})).toMatchObject({ hallName: '新版市民之家', contentVersion: '2.0.0' });
    expect(JSON.parse(readFileSync(join(dataDir, 'content', 'current'), 'utf8'))).toMatchObject({ version: '2026.11.2' });
    // The next heartbeat reports the package in force.
    await call(client, 'sync.now', {});
    expect((await platform.server.store.heartbeat(terminal.id))?.contentVersion).toBe('2026.11.2');

    // A restart starts with the downloaded package (startupContent, used by startHost).
    expect(startupContent(host!.config, silentLogger()).hall.name).toBe('新版市民之家');
  });

  it('with no session running, a new package goes in force at once', async () => {
    const { client, platform } = await boot();
    await call(client, 'staff.login', { pin: PIN });
    await platform.admin.publishContent(
      '2026.11.3',
      hallPackage((hall) => {
        hall.name = '即时更新大厅';
      }),
    );
    await call(client, 'sync.now', {});
    expect((await call(client, 'system.info', {})).hallName).toBe('即时更新大厅');
  });

  it('a bad package is refused and the old one kept: hash mismatch, schema error, broken cross-reference', async () => {
    const { client, dataDir, platform } = await boot();
    await call(client, 'staff.login', { pin: PIN });
    await platform.admin.publishContent(
      'good-1',
      hallPackage((hall) => {
        hall.name = '第一版大厅';
      }),
    );
    await call(client, 'sync.now', {});
    expect((await call(client, 'system.info', {})).hallName).toBe('第一版大厅');

    const bad: { version: string; files: { path: string; bytes: Buffer }[]; sha256?: string; expect: RegExp }[] = [
      { version: 'bad-hash', files: hallPackage((hall) => void (hall.name = '坏哈希')), sha256: 'f'.repeat(64), expect: /sha256 mismatch/ },
      { version: 'bad-schema', files: hallPackage((hall) => void (hall.name = 42 as unknown as string)), expect: /hall\.json/ },
      // Passes the zod schemas, fails the loader's cross-file invariants (the host's validator is the loader).
      { version: 'bad-invariant', files: hallPackage((hall) => void hall.departments.push(hall.departments[0])), expect: /duplicate id/ },
    ];
    for (const attempt of bad) {
      await platform.admin.publishContent(attempt.version, attempt.files, attempt.sha256);
      const status = await call(client, 'sync.now', {});
      expect(status.lastError, attempt.version).toMatch(/refused/);
      expect(status.lastError, attempt.version).toMatch(attempt.expect);
      expect((await call(client, 'system.info', {})).hallName, attempt.version).toBe('第一版大厅');
      expect(JSON.parse(readFileSync(join(dataDir, 'content', 'current'), 'utf8'))).toMatchObject({ version: 'good-1' });
      expect(existsSync(join(dataDir, 'content', attempt.version)), attempt.version).toBe(false);
    }
  });

  it('startupContent falls back to the shipped package when the downloaded one no longer loads', async () => {
    const { client, platform } = await boot();
    await call(client, 'staff.login', { pin: PIN });
    await platform.admin.publishContent('2026.11.4', hallPackage((hall) => void (hall.name = '已下载大厅')));
    await call(client, 'sync.now', {});
    const config = host!.config;
    expect(startupContent(config, silentLogger()).hall.name).toBe('已下载大厅');
    writeFileSync(join(config.dataDir, 'content', '2026.11.4', 'hall.json'), '{ not json');
    expect(startupContent(config, silentLogger()).hall.name).toBe(shippedHall.name);
    // Without a platform configured, the shipped (or configured) package is used whatever is on disk.
    expect(startupContent({ ...config, platform: { ...config.platform, baseUrl: undefined } }, silentLogger()).dir).toBe(config.contentDir);
  });
});

describe('without a platform', () => {
  it('reports the platform as not configured and keeps records in the outbox', async () => {
    const { client } = await boot({ withPlatform: false });
    await queueRating('offline-1');
    expect(await call(client, 'sync.status', {})).toMatchObject({ configured: false, online: false, backlog: 1, deadLetters: 0 });
    expect((await call(client, 'devices.status', {})).find((device) => device.device === 'platform')).toMatchObject({
      state: 'degraded',
      reason: { code: 'device.platformNotConfigured', params: {} },
    });
    await call(client, 'staff.login', { pin: PIN });
    const now = await client.call('sync.now', {});
    expect(now.ok ? null : now.error.code).toBe('unavailable');
  });
});

describe('sync module options: case status sink and requestSync', () => {
  it('hands pulled case status changes to the sink, and requestSync pushes soon after queueing', async () => {
    // The host runs without a platform; a second sync module with the sink is started on the host's context.
    await boot({ withPlatform: false });
    const loopback = platform!;
    const context = host!.context;
    const config = hostConfig(context.config.dataDir, { baseUrl: loopback.url, secret: terminal.secret, intervalSeconds: 3600 });
    const received: CaseStatusChange[] = [];
    extraModule = syncModule({ ...context, config }, host!.sessions, {
      appVersion: 'test',
      requireStaff: () => undefined,
      requestDelayMs: 50,
      applyCaseStatus: (changes) => void received.push(...changes),
    });
    await loopback.admin.postCaseStatus({ caseId: 'case-1', status: 'accepted', note: '已受理' });
    await loopback.admin.postCaseStatus({ caseId: 'case-1', status: 'done' });
    await extraModule.start?.();
    await until(() => received.length === 2, 'case status changes');
    expect(received.map((change) => [change.caseId, change.status])).toEqual([
      ['case-1', 'accepted'],
      ['case-1', 'done'],
    ]);

    await queueRating('requested-1');
    extraModule.requestSync();
    extraModule.requestSync();
    await until(async () => (await loopback.admin.recordIds()).includes('requested-1'), 'the requested sync');
    expect((await loopback.admin.stats()).stored).toBe(1);
    // The cursor advanced: the same changes are not delivered twice.
    const handlers = extraModule.handlers;
    await handlers['staff.login']?.({ pin: PIN });
    await handlers['sync.now']?.({});
    expect(received).toHaveLength(2);
  });
});
