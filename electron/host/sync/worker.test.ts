import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLoopbackPlatform, type LoopbackPlatform } from '../../../platform/testing.js';
import { silentLogger } from '../logging/logger.js';
import { openTerminalStorage, queueRatings, type TerminalStorage } from './testing.js';
import type { SyncStatus } from './state.js';
import { SyncWorker, type SyncConfig, type SyncWorkerOptions } from './worker.js';

const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
let platform: LoopbackPlatform;
let storage: TerminalStorage;
let dir: string;
const workers: SyncWorker[] = [];

beforeEach(async () => {
  platform = await startLoopbackPlatform({ terminals: [terminal], seed: 7 });
  dir = mkdtempSync(join(tmpdir(), 'liuliu-sync-'));
  storage = await openTerminalStorage(dir);
});
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  await storage.db.close();
  await platform.close();
  rmSync(dir, { recursive: true, force: true });
});

function worker(config: Partial<SyncConfig> = {}, extra: Partial<SyncWorkerOptions> = {}): SyncWorker {
  const created = new SyncWorker({
    db: storage.db,
    outbox: storage.outbox,
    logger: silentLogger(),
    now: () => new Date(),
    config: {
      baseUrl: platform.url,
      terminalId: terminal.id,
      secret: terminal.secret,
      batchSize: 50,
      intervalMs: 60_000,
      retentionDays: 30,
      timeoutMs: 5_000,
      backoff: { baseMs: 10, maxMs: 100 },
      ...config,
    },
    ...extra,
  });
  workers.push(created);
  return created;
}

async function drain(sync: SyncWorker, maxCycles = 1000): Promise<SyncStatus> {
  for (let cycle = 0; cycle < maxCycles; cycle += 1) {
    const status = await sync.syncNow();
    if (status.backlog === 0) return status;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  throw new Error(`backlog not drained: ${JSON.stringify(sync.status())}`);
}

/** The platform holds exactly these ids, each once. */
async function expectExactlyOnce(ids: readonly string[]): Promise<void> {
  const held = await platform.admin.recordIds();
  expect(held.length).toBe(new Set(held).size);
  expect([...held].sort()).toEqual([...ids].sort());
  expect((await platform.admin.stats()).stored).toBe(ids.length);
}

describe('SyncWorker drains the outbox', () => {
  it('sends everything in batches, marks it synced and reports the status', async () => {
    const ids = await queueRatings(storage, 'n', 230);
    const sync = worker();
    const seen: SyncStatus[] = [];
    sync.onStatus((status) => seen.push(status));
    const status = await sync.syncNow();
    expect(status).toMatchObject({ online: true, backlog: 0, deadLetters: 0, lastError: null });
    expect(status.lastSyncAt).not.toBeNull();
    expect(seen.at(-1)).toEqual(status);
    expect(await storage.outbox.counts(storage.db)).toEqual({ pending: 0, synced: 230, dead: 0 });
    await expectExactlyOnce(ids);
    const stored = await platform.server.store.record('n-7');
    expect(stored?.payload).toEqual({ stars: 3, serviceId: 'ps-idcard-reissue', comment: '窗口服务很好' });
  });

  it('reads (and so decrypts) one batch of rows per push while every row is due, not four', async () => {
    await queueRatings(storage, 'r', 230);
    const limits: number[] = [];
    const queued = storage.outbox.queued.bind(storage.outbox);
    storage.outbox.queued = (db, limit) => {
      limits.push(limit);
      return queued(db, limit);
    };
    expect(await worker().syncNow()).toMatchObject({ backlog: 0 });
    expect(limits.every((limit) => limit === 50)).toBe(true);
  });

  it('keeps each kind in queue order on the platform, through failures, drops and partial acks', async () => {
    const expected: Record<string, string[]> = { rating: [], 'session.summary': [] };
    for (let i = 0; i < 60; i += 1) {
      await storage.db.transaction(async (tx) => {
        const at = new Date().toISOString();
        expected.rating?.push(await storage.outbox.append(tx, { id: `o-r-${i}`, kind: 'rating', schemaVersion: 1, payload: { stars: 5 } }));
        expected['session.summary']?.push(await storage.outbox.append(tx, { id: `o-s-${i}`, kind: 'session.summary', schemaVersion: 1, payload: { sessionId: `s${i}`, startedAt: at, endedAt: at } }));
      });
    }
    await platform.admin.setFaults({ failPercent: 25, dropPercent: 15, partialAckPercent: 25 });
    await drain(worker({ batchSize: 16 }));
    const held = await platform.admin.recordIds();
    expect(held.filter((id) => id.startsWith('o-r-'))).toEqual(expected.rating);
    expect(held.filter((id) => id.startsWith('o-s-'))).toEqual(expected['session.summary']);
  });

  it('dead-letters a record the platform rejects for good and goes on with the rest', async () => {
    const before = await queueRatings(storage, 'd', 20);
    await storage.db.transaction(async (tx) => {
      await storage.outbox.append(tx, { id: 'bad-kind', kind: 'mystery', schemaVersion: 1, payload: { x: 1 } });
      await storage.outbox.append(tx, { id: 'bad-stars', kind: 'rating', schemaVersion: 1, payload: { stars: 11 } });
    });
    const after = await queueRatings(storage, 'e', 20);
    const sync = worker();
    const status = await drain(sync);
    expect(status).toMatchObject({ backlog: 0, deadLetters: 2, online: true });
    const dead = await sync.deadLetters();
    expect(dead.map((d) => d.id)).toEqual(['bad-kind', 'bad-stars']);
    expect(dead[0]?.reason).toMatch(/unknown record kind "mystery"/);
    expect(dead[1]?.reason).toMatch(/stars/);
    expect(dead[0]).not.toHaveProperty('payload');
    await expectExactlyOnce([...before, ...after]);
    // Never retried: another cycle sends nothing for them.
    await sync.syncNow();
    expect((await platform.admin.stats()).rejected).toBe(2);
  });

  it('purges synced rows after the retention period and keeps them before it', async () => {
    await queueRatings(storage, 'p', 10);
    const keep = worker({ retentionDays: 30 });
    await keep.syncNow();
    await keep.syncNow();
    expect(await storage.outbox.counts(storage.db)).toEqual({ pending: 0, synced: 10, dead: 0 });
    const purge = worker({ retentionDays: 0 });
    await purge.syncNow();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await purge.syncNow();
    expect(await storage.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox')).toEqual({ n: 0 });
  });

  it('reports online from the heartbeat when there is nothing to push, and runs a fresh cycle for a caller arriving mid-cycle', async () => {
    const sync = worker();
    expect((await sync.syncNow()).online).toBe(true);
    const first = sync.syncNow();
    const ids = await queueRatings(storage, 'late', 5);
    const second = sync.syncNow();
    await Promise.all([first, second]);
    expect((await second).backlog).toBe(0);
    await expectExactlyOnce(ids);
  });

  it('sends a heartbeat with the backlog and device states', async () => {
    await queueRatings(storage, 'h', 3);
    await worker({}, { heartbeat: () => ({ appVersion: '0.1.0', devices: { printer: { state: 'ok' }, idcard: { state: 'disconnected', reason: '读卡器未连接' } } }) }).syncNow();
    expect(await platform.server.store.heartbeat(terminal.id)).toMatchObject({ appVersion: '0.1.0', backlog: 0, devices: { idcard: { state: 'disconnected' } } });
  });
});

describe('SyncWorker under injected faults', () => {
  it('recovers from 500s at 20 % with every record held exactly once', async () => {
    const ids = await queueRatings(storage, 'f', 400);
    await platform.admin.setFaults({ failPercent: 20 });
    await drain(worker({ batchSize: 20 }));
    await expectExactlyOnce(ids);
  });

  it('treats a 500 as transient: nothing marked, retried after backoff', async () => {
    const ids = await queueRatings(storage, 'g', 30);
    await platform.admin.setFaults({ failPercent: 100 });
    const sync = worker();
    const failed = await sync.syncNow();
    expect(failed).toMatchObject({ online: false, backlog: 30 });
    expect(failed.lastError).toMatch(/server \(HTTP 500\)/);
    const row = await storage.db.get<{ attempts: number; next_attempt_at: string | null }>('SELECT attempts, next_attempt_at FROM outbox WHERE id = ?', ['g-0']);
    expect(row?.attempts).toBe(1);
    expect(row?.next_attempt_at).not.toBeNull();
    await platform.admin.setFaults({ failPercent: 0 });
    expect((await drain(sync)).online).toBe(true);
    await expectExactlyOnce(ids);
  });

  it('resends a batch whose answer was cut mid-response; the platform answers duplicate', async () => {
    const ids = await queueRatings(storage, 'x', 80);
    await platform.admin.setFaults({ dropPercent: 100 });
    const sync = worker({ batchSize: 40 });
    const cut = await sync.syncNow();
    expect(cut.lastError).toMatch(/network/);
    expect(cut.backlog).toBe(80);
    expect((await platform.admin.stats()).stored).toBe(40);
    await platform.admin.setFaults({ dropPercent: 0 });
    await drain(sync);
    await expectExactlyOnce(ids);
    expect((await platform.admin.stats()).duplicatesSeen).toBe(40);
  });

  it('gives up on an answer slower than the timeout and resends later', async () => {
    const ids = await queueRatings(storage, 't', 10);
    await platform.admin.setFaults({ delayPercent: 100, delayMs: 2_000 });
    const sync = worker({ timeoutMs: 300 });
    const slow = await sync.syncNow();
    expect(slow.lastError).toMatch(/timeout/);
    expect(slow.backlog).toBe(10);
    await platform.admin.setFaults({ delayPercent: 0 });
    await drain(sync);
    await expectExactlyOnce(ids);
  });

  it('resends the unacknowledged part of a partial answer at once, within the same cycle', async () => {
    const ids = await queueRatings(storage, 'q', 120);
    await platform.admin.setFaults({ partialAckPercent: 30 });
    // A backoff far longer than the test: anything that backed off would still be pending.
    const sync = worker({ batchSize: 40, backoff: { baseMs: 600_000, maxMs: 600_000 } });
    const status = await sync.syncNow();
    expect(status.backlog).toBe(0);
    expect(await storage.outbox.counts(storage.db)).toEqual({ pending: 0, synced: 120, dead: 0 });
    await expectExactlyOnce(ids);
    const stats = await platform.admin.stats();
    expect(stats.duplicatesSeen).toBeGreaterThan(0);
    expect(stats.requests['POST /v1/records:batch 200']).toBeGreaterThan(3);
  });

  it('backs off when an answer acknowledges nothing, and then resends only what is missing', async () => {
    const ids = await queueRatings(storage, 'q', 40);
    await platform.admin.setFaults({ partialAckPercent: 100 });
    // With every answer partial, the last lone record is never acknowledged: that is a failure.
    const sync = worker({ batchSize: 40, backoff: { baseMs: 600, maxMs: 600 } });
    const partial = await sync.syncNow();
    expect(partial.lastError).toMatch(/not acknowledged/);
    const counts = await storage.outbox.counts(storage.db);
    expect(counts.pending).toBeGreaterThan(0);
    expect(counts.pending).toBeLessThan(5);
    expect((await platform.admin.stats()).stored).toBe(40);
    await platform.admin.setFaults({ partialAckPercent: 0 });
    await new Promise((resolve) => setTimeout(resolve, 650));
    await drain(sync);
    await expectExactlyOnce(ids);
  });

  it('treats malformed and oversized answers as transient', async () => {
    const ids = await queueRatings(storage, 'm', 10);
    const sync = worker({ maxResponseBytes: 256 * 1024 });
    await platform.admin.setFaults({ malformedPercent: 100 });
    expect((await sync.syncNow()).lastError).toMatch(/malformed/);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await platform.admin.setFaults({ malformedPercent: 0, oversizedPercent: 100, oversizedBytes: 1024 * 1024 });
    expect((await sync.syncNow()).lastError).toMatch(/oversized/);
    expect(await storage.outbox.counts(storage.db)).toMatchObject({ pending: 10, synced: 0 });
    await platform.admin.setFaults({ oversizedPercent: 0 });
    await drain(sync);
    await expectExactlyOnce(ids);
  });

  it('reports an auth failure with a bad secret and keeps every record pending', async () => {
    await queueRatings(storage, 'a', 5);
    const status = await worker({ secret: 'not-the-right-secret-000' }).syncNow();
    expect(status).toMatchObject({ online: false, backlog: 5, deadLetters: 0 });
    expect(status.lastError).toMatch(/auth \(HTTP 401\).*bad_signature/);
    expect((await platform.admin.stats()).stored).toBe(0);
  });

  it('syncs with a clock hours off by learning the offset from the Date header', async () => {
    const ids = await queueRatings(storage, 'c', 10);
    const skewMs = 3 * 3600_000;
    const sync = worker({}, { now: () => new Date(Date.now() + skewMs) });
    const status = await sync.syncNow();
    expect(status).toMatchObject({ online: true, backlog: 0, lastError: null });
    expect(Math.abs(sync.clockOffsetMs() + skewMs)).toBeLessThan(5_000);
    await expectExactlyOnce(ids);
  });

  it('syncs on its own timer once started', async () => {
    const ids = await queueRatings(storage, 's', 25);
    const sync = worker({ intervalMs: 50 });
    const drained = new Promise<void>((resolve) => sync.onStatus((status) => status.backlog === 0 && resolve()));
    await sync.start();
    await drained;
    await sync.stop();
    await expectExactlyOnce(ids);
  });
});
