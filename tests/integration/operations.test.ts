import { hashPin } from '../../electron/host/staff/credentials.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_LOG_UPLOAD_BYTES } from '../../platform-contract/contract.js';
import { startLoopbackPlatform, type LoopbackPlatform } from '../../platform/testing.js';
import { createApiClient, type ApiClient } from '../../renderer/src/api/client.js';
import { parseConfig } from '../../electron/host/config/load.js';
import { startHost, type KioskHost } from '../../electron/host/index.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import type { RestartHistory } from '../../electron/host/operations/restarts.js';
import { memoryPipe } from '../../electron/host/rpc/memory-transport.js';
import { DEMO_CARDS } from '../../devices/idcard/index.js';
import { localIsoDate, validateResidentCard } from '../../devices/idcard/validate.js';
import { callValue as call, nextEvent } from '../support/host.js';

/**
 * Maintenance mode, remote restart and log export in a real host, from the
 * staff contract and from platform commands in heartbeat replies, against the
 * reference platform on loopback; and the fleet page flagging a kiosk killed
 * with SIGKILL as stale.
 */
const terminal = { id: 'kiosk-07', secret: 'kiosk-07-secret-0123456789' };
const PIN = '246810';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

let platform: LoopbackPlatform | undefined;
const hosts: KioskHost[] = [];
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const host of hosts.splice(0)) await host.stop();
  await platform?.close();
  platform = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-ops-int-'));
  dirs.push(dir);
  return dir;
}

interface Booted {
  host: KioskHost;
  client: ApiClient;
  restarts: string[];
}

async function boot(dataDir: string, options: { platform?: boolean; history?: RestartHistory } = {}): Promise<Booted> {
  platform ??= await startLoopbackPlatform({ terminals: [terminal] });
  const config = parseConfig(
    {
      terminalId: terminal.id,
      staffPinHash: hashPin(PIN),
      devices: { idcard: { kind: 'none' }, printer: { kind: 'none' } },
      queue: { listen: { port: 0 } },
      logging: { level: 'silent' },
      ...(options.platform === false ? {} : { platform: { baseUrl: platform.url, secret: terminal.secret, intervalSeconds: 3600 } }),
    },
    'test',
    { LIULIU_DATA_DIR: dataDir },
  );
  const restarts: string[] = [];
  const host = await startHost(config, {
    logger: silentLogger(),
    requestRestart: (reason) => restarts.push(reason),
    ...(options.history === undefined ? {} : { restartHistory: options.history }),
  });
  hosts.push(host);
  const pipe = memoryPipe();
  host.attach(pipe.host);
  return { host, client: createApiClient(pipe.renderer), restarts };
}

async function stopHost(booted: Booted): Promise<void> {
  hosts.splice(hosts.indexOf(booted.host), 1);
  await booted.host.stop();
}

function citizenRead() {
  const validation = validateResidentCard(DEMO_CARDS.zhang.fields, localIsoDate(new Date()));
  if (!validation.ok) throw new Error('demo card does not validate');
  return { record: validation.record, appendedAddress: null, expired: false, readAt: new Date().toISOString() };
}

async function operationRecords(): Promise<{ action: string; by: string; outcome: string; commandId?: string; desk?: string }[]> {
  const ids = await platform!.admin.recordIds();
  const records = await Promise.all(ids.map((id) => platform!.server.store.record(id)));
  return records.filter((record) => record?.kind === 'terminal.operation').map((record) => record!.payload as { action: string; by: string; outcome: string; commandId?: string; desk?: string });
}

describe('maintenance mode from the staff screen', () => {
  it('puts the kiosk out of service with the desk, refuses visits, survives a restart, and syncs every change as an event', async () => {
    const dataDir = tempDir();
    const first = await boot(dataDir);
    expect(await call(first.client, 'maintenance.status', {})).toMatchObject({ outOfService: false, desk: '1' });
    // Staff only.
    const refused = await first.client.call('maintenance.set', { outOfService: true });
    expect(refused.ok).toBe(false);

    await call(first.client, 'staff.login', { pin: PIN });
    const changed = nextEvent(first.client, 'maintenance.changed', (view) => view.outOfService);
    const view = await call(first.client, 'maintenance.set', { outOfService: true, desk: '3' });
    expect(view).toMatchObject({ outOfService: true, desk: '3', by: 'staff' });
    expect((await changed).desk).toBe('3');

    // No visit starts: neither the start button nor a card.
    const begin = await first.client.call('session.begin', {});
    expect(begin.ok || begin.error.code).toBe('unavailable');
    const notice = nextEvent(first.client, 'card.notice');
    first.host.sessions.cardPlaced(citizenRead());
    expect((await notice).state).toBe('unavailable');
    expect(first.host.sessions.current()).toBeNull();

    // Still out of service after a restart.
    await stopHost(first);
    const second = await boot(dataDir);
    expect(await call(second.client, 'maintenance.status', {})).toMatchObject({ outOfService: true, desk: '3', by: 'staff' });
    await call(second.client, 'staff.login', { pin: PIN });
    expect(await call(second.client, 'maintenance.set', { outOfService: false })).toMatchObject({ outOfService: false });
    expect((await call(second.client, 'session.begin', {})).kind).toBe('anonymous');

    await call(second.client, 'sync.now', {});
    expect(await operationRecords()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'maintenance.enter', by: 'staff', outcome: 'done', desk: '3' }),
        expect.objectContaining({ action: 'maintenance.exit', by: 'staff', outcome: 'done' }),
      ]),
    );
  });

  it('restarts through the supervisor hook and records it first', async () => {
    const booted = await boot(tempDir());
    expect((await booted.client.call('ops.restart', {})).ok).toBe(false);
    await call(booted.client, 'staff.login', { pin: PIN });
    await call(booted.client, 'ops.restart', {});
    await vi.waitFor(() => expect(booted.restarts).toEqual(['restart requested by staff']), { timeout: 10_000 });
    expect(await operationRecords()).toEqual([expect.objectContaining({ action: 'restart', by: 'staff', outcome: 'done' })]);
  });

  it('exports the log files to an offered directory (0600) and nowhere else', async () => {
    const dataDir = tempDir();
    const booted = await boot(dataDir, { platform: false });
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    writeFileSync(join(dataDir, 'logs', 'liuliu.1.log'), '{"msg":"session started","maskedIdNumber":"430181********1239"}\n');
    mkdirSync(join(dataDir, 'exports', 'usb-stick'), { recursive: true });
    await call(booted.client, 'staff.login', { pin: PIN });
    const status = await call(booted.client, 'ops.status', {});
    expect(status.logTargets.map((target) => target.path)).toEqual([join(dataDir, 'exports'), join(dataDir, 'exports', 'usb-stick')]);
    expect(status.canUpload).toBe(false);

    const result = await call(booted.client, 'ops.exportLogs', { to: { directory: join(dataDir, 'exports', 'usb-stick') } });
    expect(result).toMatchObject({ files: 1, truncated: false });
    const [folder] = readdirSync(join(dataDir, 'exports', 'usb-stick'));
    const copied = join(dataDir, 'exports', 'usb-stick', folder!, 'liuliu.1.log');
    expect(readFileSync(copied, 'utf8')).toContain('430181********1239');
    expect(statSync(copied).mode & 0o777).toBe(0o600);

    const elsewhere = await booted.client.call('ops.exportLogs', { to: { directory: '/tmp' } });
    expect(elsewhere.ok || elsewhere.error.code).toBe('bad_request');
    const upload = await booted.client.call('ops.exportLogs', { to: 'platform' });
    expect(upload.ok || upload.error.code).toBe('unavailable');
  });
});

describe('remote operation from the platform', () => {
  it('carries out commands from heartbeat replies, waits for a visit to end, and reports each one done', async () => {
    const booted = await boot(tempDir());
    await call(booted.client, 'staff.login', { pin: PIN });
    await call(booted.client, 'sync.now', {});
    const enter = await platform!.admin.sendCommand(terminal.id, { type: 'maintenance.enter', desk: '2' });
    await call(booted.client, 'sync.now', {});
    expect(await call(booted.client, 'maintenance.status', {})).toMatchObject({ outOfService: true, desk: '2', by: 'platform' });
    // The next heartbeat reports it; the platform stops repeating it.
    await call(booted.client, 'sync.now', {});
    expect((await platform!.admin.commands(terminal.id)).find((row) => row.id === enter.id)).toMatchObject({ outcome: 'done' });

    // Back in service, but a citizen is mid-visit: the change waits for the visit to end.
    await call(booted.client, 'maintenance.set', { outOfService: false });
    await call(booted.client, 'session.begin', {});
    await platform!.admin.sendCommand(terminal.id, { type: 'maintenance.enter' });
    await call(booted.client, 'sync.now', {});
    expect(await call(booted.client, 'maintenance.status', {})).toMatchObject({ outOfService: false, pending: 'maintenance.enter' });
    const applied = nextEvent(booted.client, 'maintenance.changed', (view) => view.outOfService);
    await call(booted.client, 'session.end', { reason: 'logout' });
    expect(await applied).toMatchObject({ outOfService: true, desk: '1', pending: null });

    // Restart: recorded, reported, and asked of the supervisor.
    const restart = await platform!.admin.sendCommand(terminal.id, { type: 'restart' });
    await call(booted.client, 'sync.now', {});
    await vi.waitFor(() => expect(booted.restarts).toEqual([`restart requested by the platform (command ${restart.id})`]), { timeout: 10_000 });
    // The same command in the next reply is not carried out twice.
    await call(booted.client, 'sync.now', {});
    expect(booted.restarts).toHaveLength(1);
    expect((await platform!.admin.commands(terminal.id)).find((row) => row.id === restart.id)).toMatchObject({ outcome: 'done' });

    await call(booted.client, 'sync.now', {});
    expect((await operationRecords()).map((record) => `${record.action}:${record.by}:${record.outcome}`)).toEqual(
      expect.arrayContaining(['maintenance.enter:platform:done', 'maintenance.exit:staff:done', 'maintenance.enter:platform:deferred', 'restart:platform:done']),
    );
  });

  it('uploads the newest log lines within the size limit, on a command or from staff', async () => {
    const dataDir = tempDir();
    const booted = await boot(dataDir);
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    const line = (i: number): string => `{"level":30,"msg":"line ${i} \\"quoted\\" 咨询台","i":${i}}\n`;
    writeFileSync(join(dataDir, 'logs', 'liuliu.1.log'), Array.from({ length: 40_000 }, (_, i) => line(i)).join(''));
    await call(booted.client, 'staff.login', { pin: PIN });
    const command = await platform!.admin.sendCommand(terminal.id, { type: 'logs.upload' });
    await call(booted.client, 'sync.now', {});
    await call(booted.client, 'sync.now', {});
    const [upload] = await platform!.admin.logUploads(terminal.id);
    expect(upload).toMatchObject({ commandId: command.id, files: ['liuliu.1.log'] });
    expect(upload!.bytes).toBeLessThanOrEqual(MAX_LOG_UPLOAD_BYTES);
    const full = await platform!.admin.logUpload(upload!.id);
    const text = full.files[0]!.text;
    expect(full.files[0]!.truncated).toBe(true);
    expect(text.endsWith(line(39_999))).toBe(true);
    expect(text.startsWith('{"level":30')).toBe(true);
    expect((await platform!.admin.commands(terminal.id))[0]).toMatchObject({ id: command.id, outcome: 'done' });

    expect(await call(booted.client, 'ops.exportLogs', { to: 'platform' })).toMatchObject({ destination: 'platform', files: 1, truncated: true });
    expect(await platform!.admin.logUploads(terminal.id)).toHaveLength(2);
  });
});

describe('heartbeat and fleet', () => {
  it('reports uptime, restarts, disk, memory, outbox age, offline tickets, paper, versions and maintenance; the platform keeps the history', async () => {
    const history: RestartHistory = { sinceBoot: () => [{ at: '2026-12-03T08:00:00.000Z', what: 'renderer', reason: 'render-process-gone (crashed)' }] };
    const booted = await boot(tempDir(), { history });
    await call(booted.client, 'staff.login', { pin: PIN });
    await call(booted.client, 'sync.now', {});
    // A record the platform cannot take yet: every batch answers 500 while the heartbeat still goes through (the first cycle set `online`).
    await booted.host.context.db.transaction((tx) => booted.host.context.outbox.append(tx, { kind: 'rating', schemaVersion: 1, payload: { stars: 5 } }, new Date(Date.now() - 60_000)));
    await platform!.admin.setFaults({ partialAckPercent: 100 });
    await call(booted.client, 'sync.now', {});
    const { heartbeats } = await platform!.admin.heartbeats(terminal.id);
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    const beat = heartbeats[0]!.heartbeat;
    expect(beat).toMatchObject({
      restartsSinceBoot: 1,
      lastRestart: { what: 'renderer', reason: 'render-process-gone (crashed)' },
      offlineTicketsWaiting: 0,
      printerPaper: 'none',
      maintenance: { outOfService: false, desk: null },
    });
    expect(beat.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(beat.dataDirFreeBytes).toBeGreaterThan(0);
    expect(beat.dataDirTotalBytes).toBeGreaterThanOrEqual(beat.dataDirFreeBytes!);
    expect(beat.hostRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(beat.systemTotalMemoryBytes).toBeGreaterThan(0);
    expect(beat.modelVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(beat.contentHash).toBe(booted.host.context.content().hash.slice(0, 12));
    expect(beat.oldestPendingSeconds).toBeGreaterThanOrEqual(60);
    expect(heartbeats.at(-1)!.heartbeat.oldestPendingSeconds).toBeNull();
  });

  it('flags a kiosk killed with SIGKILL as stale on the fleet page', { timeout: 120_000 }, async () => {
    platform = await startLoopbackPlatform({ terminals: [terminal, { id: 'kiosk-never', secret: 'kiosk-never-secret-0123456789' }], fleet: { staleAfterSeconds: 3 } });
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'tests/integration/fixtures/kiosk-child.ts'), tempDir(), platform.url, terminal.id, terminal.secret], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    await vi.waitFor(
      async () => {
        const row = (await platform!.admin.fleet()).terminals.find((t) => t.id === terminal.id);
        expect(row?.status).toBe('ok');
      },
      { timeout: 90_000, interval: 500 },
    );
    expect(await platform.admin.fleetPage()).toMatch(/data-terminal="kiosk-07" data-status="ok"/);
    child.kill('SIGKILL');
    await vi.waitFor(
      async () => {
        const row = (await platform!.admin.fleet()).terminals.find((t) => t.id === terminal.id);
        expect(row?.status).toBe('stale');
      },
      { timeout: 15_000, interval: 500 },
    );
    const page = await platform.admin.fleetPage();
    expect(page).toMatch(/data-terminal="kiosk-07" data-status="stale"/);
    expect(page).toMatch(/data-terminal="kiosk-never" data-status="never"/);
    // Protected like the admin API; a browser is asked for the token.
    const anonymous = await fetch(`${platform.url}/admin/fleet`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    const basic = await fetch(`${platform.url}/admin/fleet`, { headers: { authorization: `Basic ${Buffer.from('staff:test-admin-token').toString('base64')}` } });
    expect(basic.status).toBe(200);
  });
});
