import { hashPin } from '../../electron/host/staff/credentials.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackPlatform, TEST_ADMIN_TOKEN, type LoopbackPlatform } from '../../platform/testing.js';
import { casePageHashes, type SyncRecord } from '../../platform-contract/contract.js';
import { createApiClient, type ApiClient } from '../../renderer/src/api/client.js';
import { parseConfig } from '../../electron/host/config/load.js';
import { startHost, type KioskHost } from '../../electron/host/index.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import { memoryPipe } from '../../electron/host/rpc/memory-transport.js';
import { callValue as value, eventually } from '../support/host.js';

/**
 * Materials reach the reviewer: a citizen files a case with 5 scanned pages
 * at a real host; the upload is cut by the network and the uploading process
 * is killed (SIGKILL) part-way; a restarted host finishes it, resuming from
 * what the platform holds; the reviewer page shows the 5 pages, each hashing
 * to what the kiosk recorded; the status the reviewer sets there reaches the
 * kiosk's progress view.
 */
const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
const PIN = '246810';
const SERVICE = 'hr-employment-cert';
const childScript = fileURLToPath(new URL('./fixtures/upload-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

let platform: LoopbackPlatform | undefined;
let host: KioskHost | undefined;
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await host?.stop();
  host = undefined;
  await platform?.close();
  platform = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function bootHost(dataDir: string, url: string): Promise<ApiClient> {
  host = await startHost(
    parseConfig(
      {
        terminalId: terminal.id,
        developerMode: true,
        staffPinHash: hashPin(PIN),
        devices: { idcard: { kind: 'simulator' }, printer: { kind: 'simulator' }, scanner: { kind: 'simulator' } },
        queue: { listen: { port: 0 } },
        platform: { baseUrl: url, secret: terminal.secret, intervalSeconds: 3600 },
        session: { idleTimeoutSeconds: 600, countdownSeconds: 15 },
      },
      'test',
      { LIULIU_DATA_DIR: dataDir },
    ),
    { logger: silentLogger() },
  );
  const pipe = memoryPipe();
  host.attach(pipe.host);
  return createApiClient(pipe.renderer);
}

async function reviewer(path: string, init: RequestInit = {}): Promise<Response> {
  if (!platform) throw new Error('no platform');
  return fetch(new URL(path, platform.url), { ...init, redirect: 'manual', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(init.headers ?? {}) } });
}

describe('materials reach the reviewer through a cut network and a killed host', () => {
  it('uploads the pages of 5 scans, resumes after SIGKILL, shows them to the reviewer with matching hashes, and the reviewer status reaches the kiosk', async () => {
    platform = await startLoopbackPlatform({ terminals: [terminal], seed: 11 });
    const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-materials-'));
    dirs.push(dataDir);

    // 1. The case is filed while the platform answers nothing but 500s: it waits in the outbox with its pages.
    await platform.admin.setFaults({ failPercent: 100 });
    let client = await bootHost(dataDir, platform.url);
    await value(client, 'dev.idcard.place', { cardId: 'zhang' });
    await eventually(() => client.call('session.current', {}), (r) => r.ok && r.value?.kind === 'citizen');
    await value(client, 'cases.startDraft', { serviceId: SERVICE });
    for (let page = 0; page < 5; page += 1) await value(client, 'cases.scanPage', { materialIndex: 0 });
    await value(client, 'cases.updateForm', { phone: '13800138000', mailingAddress: '', remarks: '' });
    const submitted = await value(client, 'cases.submit', {});
    await host?.stop();
    host = undefined;
    expect(await platform.admin.recordIds()).toEqual([]);

    // 2. A slow network that cuts 20 % of connections after the work; the uploading process is killed mid-upload.
    await platform.admin.setFaults({ failPercent: 0, dropPercent: 20, delayPercent: 100, delayMs: 40 });
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir, platform.url, terminal.id, terminal.secret, String(16 * 1024)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const blobs = platform.server.blobs;
    await eventually(
      () => blobs.list(),
      (held) => held.some((b) => b.received > 2 * 16 * 1024 && !b.complete),
      30_000,
      50,
    );
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe('SIGKILL');
    const atKill = await blobs.list();
    expect(atKill.some((b) => b.received > 0 && !b.complete)).toBe(true);
    // No case without its pages.
    expect(await platform.admin.recordIds()).not.toContain(submitted.caseId);

    // 3. Restored: network fine, host started again on the same data; it resumes and files the case.
    await platform.admin.setFaults({ dropPercent: 0, delayPercent: 0 });
    const before = platform.server.requests();
    client = await bootHost(dataDir, platform.url);
    await value(client, 'staff.login', { pin: PIN });
    await eventually(
      () => value(client, 'sync.now', {}).then(() => platform?.admin.recordIds() ?? []),
      (ids) => ids.includes(submitted.caseId),
    );
    const record = (await platform.server.store.record(submitted.caseId)) as Pick<SyncRecord, 'kind' | 'payload'>;
    const payload = record.payload as { materials: { pages: { sha256: string }[] }[] };
    const kioskHashes = payload.materials.flatMap((material) => material.pages.map((page) => page.sha256));
    expect(kioskHashes).toHaveLength(5);
    // SANE's test backend scans the same picture every time, so the 5 pages share one address (content addressing stores it once).
    const held = await blobs.list();
    for (const sha256 of casePageHashes(record)) expect(held.find((b) => b.sha256 === sha256)?.complete).toBe(true);
    // Resumed, not restarted: the partial upload at the kill is the same row, grown to completion, with only the missing
    // bytes sent (the restarted host's chunks are 256 KiB) and never a chunk out of order.
    const partial = atKill.find((b) => !b.complete);
    expect(held.find((b) => b.sha256 === partial?.sha256)).toMatchObject({ complete: true, size: partial?.size });
    const after = platform.server.requests();
    const answered = (key: string): number => (after[key] ?? 0) - (before[key] ?? 0);
    expect(answered('PUT /v1/blobs/{sha256} 409')).toBe(0);
    const missingBytes = atKill.reduce((sum, b) => sum + (b.size - b.received), 0);
    expect(answered('PUT /v1/blobs/{sha256} 200')).toBeLessThanOrEqual(atKill.reduce((sum, b) => sum + Math.ceil((b.size - b.received) / (256 * 1024)), 0));
    expect(missingBytes).toBeGreaterThan(0);

    // 4. The reviewer sees the case and its 5 pages; each image hashes to its address, the one the kiosk recorded.
    const list = await (await reviewer('/review')).text();
    expect(list).toContain(submitted.preAcceptanceNumber);
    const casePage = await (await reviewer(`/review/cases/${submitted.caseId}`)).text();
    const shown = [...casePage.matchAll(/<figure class="page" data-sha256="([0-9a-f]{64})">/g)].map((m) => m[1]);
    expect(shown).toEqual(kioskHashes);
    for (const sha256 of shown) {
      const image = Buffer.from(await (await reviewer(`/review/blobs/${sha256 ?? ''}`)).arrayBuffer());
      expect(createHash('sha256').update(image).digest('hex')).toBe(sha256);
      expect(image.subarray(0, 2).toString('hex')).toBe('ffd8'); // a JPEG
    }

    // 5. The reviewer pre-accepts it with a time limit; the kiosk's progress view shows 受理 after its next sync.
    const posted = await reviewer(`/review/cases/${submitted.caseId}/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=pre-accepted&days=5' });
    expect(posted.status).toBe(303);
    expect(await (await reviewer(`/review/cases/${submitted.caseId}`)).text()).toContain('预受理');
    await value(client, 'sync.now', {});
    const view = await eventually(
      () => value(client, 'cases.query', { number: submitted.preAcceptanceNumber, phoneLast4: '8000' }),
      (v) => v.stage === '受理',
    );
    expect(view.stage).toBe('受理');
  }, 120_000);
});
