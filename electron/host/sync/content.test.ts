import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseStatusChange, ContentBundle } from '../../../platform-contract/contract.js';
import { startLoopbackPlatform, type LoopbackPlatform } from '../../../platform/testing.js';
import { silentLogger } from '../logging/logger.js';
import { ContentRefused, ContentStore, validateContentDir, verifyBundle, type StagedContent } from './content.js';
import { openTerminalStorage, type TerminalStorage } from './testing.js';
import { SyncWorker, type SyncWorkerOptions } from './worker.js';

const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
const hallFiles = ['hall.json', 'services.json', 'intents.json'].map((path) => ({ path, bytes: readFileSync(new URL(`../../../content/hall/${path}`, import.meta.url)) }));
let platform: LoopbackPlatform;
let storage: TerminalStorage;
let dir: string;
const workers: SyncWorker[] = [];

beforeEach(async () => {
  platform = await startLoopbackPlatform({ terminals: [terminal] });
  dir = mkdtempSync(join(tmpdir(), 'liuliu-sync-content-'));
  storage = await openTerminalStorage(dir);
});
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  await storage.db.close();
  await platform.close();
  rmSync(dir, { recursive: true, force: true });
});

function worker(extra: Partial<SyncWorkerOptions>): SyncWorker {
  const created = new SyncWorker({
    db: storage.db,
    outbox: storage.outbox,
    logger: silentLogger(),
    now: () => new Date(),
    config: { baseUrl: platform.url, terminalId: terminal.id, secret: terminal.secret, batchSize: 50, intervalMs: 60_000, retentionDays: 30, backoff: { baseMs: 10, maxMs: 100 } },
    ...extra,
  });
  workers.push(created);
  return created;
}

describe('content package pull', () => {
  it('downloads, verifies, stages and announces a package; activation swaps the pointer; unchanged content is not fetched again', async () => {
    const store = new ContentStore(dir);
    const ready: StagedContent[] = [];
    const model = { path: 'models/intent/model.json', bytes: Buffer.from('{"format":"layers-model"}') };
    const published = await platform.admin.publishContent('2026.03.1', [...hallFiles, model]);
    const sync = worker({ content: { store, onContentReady: (staged) => void ready.push(staged) } });

    expect((await sync.syncNow()).lastError).toBeNull();
    expect(ready).toEqual([{ version: '2026.03.1', sha256: published.sha256, dir: join(dir, 'content', '2026.03.1') }]);
    // The package hash is the one the host's content loader computes: sha256 over the three files in order.
    const expected = createHash('sha256');
    for (const file of hallFiles) expected.update(file.bytes);
    expect(published.sha256).toBe(expected.digest('hex'));
    for (const file of [...hallFiles, model]) expect(readFileSync(join(dir, 'content', '2026.03.1', file.path)).equals(file.bytes), file.path).toBe(true);
    expect(store.current()).toBeNull();

    store.activate('2026.03.1');
    expect(store.current()?.version).toBe('2026.03.1');
    expect(JSON.parse(readFileSync(join(dir, 'content', 'current'), 'utf8'))).toEqual({ version: '2026.03.1', sha256: published.sha256 });
    await sync.syncNow();
    expect(ready).toHaveLength(1);
    expect(platform.server.requests()).toMatchObject({ 'GET /v1/content/current 304': 1, 'GET /v1/content/packages/{version} 200': 1 });
    expect(readdirSync(join(dir, 'content')).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses a package whose hash does not match, keeping the current one', async () => {
    const store = new ContentStore(dir);
    const ready: StagedContent[] = [];
    await platform.admin.publishContent('v1', hallFiles);
    const sync = worker({ content: { store, onContentReady: (staged) => void ready.push(staged) } });
    await sync.syncNow();
    store.activate('v1');

    await platform.admin.publishContent('v2', hallFiles, 'f'.repeat(64));
    const status = await sync.syncNow();
    expect(status.lastError).toMatch(/content package v2 refused: package sha256 mismatch/);
    expect(existsSync(join(dir, 'content', 'v2'))).toBe(false);
    expect(store.current()?.version).toBe('v1');
    expect(ready.map((r) => r.version)).toEqual(['v1']);

    const tampered = [{ ...hallFiles[0]!, sha256: '0'.repeat(64) }, ...hallFiles.slice(1)];
    await platform.admin.publishContent('v3', tampered);
    expect((await sync.syncNow()).lastError).toMatch(/v3 refused: hall.json: sha256 mismatch/);
    expect(store.current()?.version).toBe('v1');
  });

  it('refuses a schema-invalid package, keeping the current one', async () => {
    const store = new ContentStore(dir);
    await platform.admin.publishContent('v1', hallFiles);
    const sync = worker({ content: { store, onContentReady: (staged) => void store.activate(staged.version) } });
    await sync.syncNow();
    expect(store.current()?.version).toBe('v1');

    const broken = hallFiles.map((file) => (file.path === 'hall.json' ? { path: file.path, bytes: Buffer.from('{"version":"x","id":"hall"}') } : file));
    await platform.admin.publishContent('v2', broken);
    const status = await sync.syncNow();
    expect(status.lastError).toMatch(/content package v2 refused: hall.json: name/);
    expect(store.current()?.version).toBe('v1');
    expect(existsSync(join(dir, 'content', 'v2'))).toBe(false);
    expect(readdirSync(join(dir, 'content')).filter((name) => name.startsWith('.staging'))).toEqual([]);
  });

  it('verifies bundles without I/O and will not activate what is not staged', () => {
    const files = hallFiles.map((file) => ({ path: file.path, base64: file.bytes.toString('base64'), sha256: createHash('sha256').update(file.bytes).digest('hex') }));
    const hash = createHash('sha256');
    for (const file of hallFiles) hash.update(file.bytes);
    const bundle: ContentBundle = { version: 'v9', sha256: hash.digest('hex'), publishedAt: new Date().toISOString(), files };
    expect(verifyBundle(bundle).ok).toBe(true);
    expect(verifyBundle({ ...bundle, files: files.slice(1) })).toEqual({ ok: false, reason: 'a package needs hall.json, services.json, intents.json' });
    expect(verifyBundle({ ...bundle, files: [...files, files[0]!] })).toMatchObject({ ok: false, reason: 'hall.json appears twice' });
    const store = new ContentStore(dir);
    expect(() => store.activate('v9')).toThrow(/not staged/);
    expect(() => store.stage(bundle, () => {
      throw new Error('invariant broken');
    })).toThrow(ContentRefused);
    expect(store.stage(bundle, validateContentDir).dir).toBe(join(dir, 'content', 'v9'));
  });
});

describe('case status pull', () => {
  it('hands changes to the callback and persists the cursor only after it succeeds', async () => {
    for (const status of ['受理', '审核']) await platform.admin.postCaseStatus({ caseId: 'C-1', status });
    const applied: CaseStatusChange[] = [];
    let failNext = true;
    const apply = (changes: CaseStatusChange[]): void => {
      if (failNext) {
        failNext = false;
        throw new Error('cases table locked');
      }
      applied.push(...changes);
    };
    const sync = worker({ applyCaseStatus: apply, config: { baseUrl: platform.url, terminalId: terminal.id, secret: terminal.secret, batchSize: 50, intervalMs: 60_000, retentionDays: 30, caseStatusPageSize: 1 } });

    expect((await sync.syncNow()).lastError).toMatch(/cases table locked/);
    expect(await storage.db.get('SELECT value FROM sync_state')).toBeUndefined();
    await sync.syncNow();
    expect(applied.map((c) => c.status)).toEqual(['受理', '审核']);
    const cursor = await storage.db.get<{ value: string }>('SELECT value FROM sync_state');
    expect(cursor?.value).toBe(String(applied[1]?.seq));

    // A restarted worker continues from the persisted cursor.
    await platform.admin.postCaseStatus({ caseId: 'C-2', status: '办结', note: '请到3楼领取' });
    const restarted = worker({ applyCaseStatus: (changes) => void applied.push(...changes) });
    await restarted.syncNow();
    expect(applied.map((c) => `${c.caseId}:${c.status}`)).toEqual(['C-1:受理', 'C-1:审核', 'C-2:办结']);
    expect(applied[2]?.note).toBe('请到3楼领取');
  });
});
