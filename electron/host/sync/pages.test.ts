import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLoopbackPlatform, type LoopbackPlatform } from '../../../platform/testing.js';
import { silentLogger } from '../logging/logger.js';
import { nextChunk, type BlobSource } from './blobs.js';
import { openTerminalStorage, type TerminalStorage } from './testing.js';
import { SyncWorker } from './worker.js';

const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('nextChunk', () => {
  it('starts at 0 when the platform has nothing, resumes at what it holds, and stops when complete', () => {
    expect(nextChunk('none', 100, 40)).toEqual({ offset: 0, end: 40 });
    expect(nextChunk({ received: 80, complete: false }, 100, 40)).toEqual({ offset: 80, end: 100 });
    expect(nextChunk({ received: 100, complete: true }, 100, 40)).toBeNull();
    expect(nextChunk({ received: 0, complete: true }, 100, 40)).toBeNull();
  });
});

describe('the worker uploads the pages a case names before the case', () => {
  let platform: LoopbackPlatform;
  let storage: TerminalStorage;
  let dir: string;
  let pages: Map<string, Buffer>;
  let released: string[];
  let clock: Date;
  const workers: SyncWorker[] = [];

  beforeEach(async () => {
    platform = await startLoopbackPlatform({ terminals: [terminal], seed: 5 });
    dir = mkdtempSync(join(tmpdir(), 'liuliu-pages-'));
    storage = await openTerminalStorage(dir);
    pages = new Map();
    released = [];
    clock = new Date('2026-12-01T08:00:00Z');
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop();
    await storage.db.close();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const source: BlobSource = {
    read: async (sha256) => pages.get(sha256),
    release: async (hashes) => void released.push(...hashes),
  };

  function worker(blobs: BlobSource | null): SyncWorker {
    const created = new SyncWorker({
      db: storage.db,
      outbox: storage.outbox,
      logger: silentLogger(),
      now: () => new Date(),
      config: { baseUrl: platform.url, terminalId: terminal.id, secret: terminal.secret, batchSize: 50, intervalMs: 60_000, retentionDays: 7, timeoutMs: 5_000, backoff: { baseMs: 10, maxMs: 50 }, blobChunkBytes: 8 * 1024 },
      ...(blobs === null ? {} : { blobs }),
    });
    workers.push(created);
    return created;
  }

  async function queueCase(id: string, pageCount: number): Promise<string[]> {
    const hashes: string[] = [];
    for (let i = 0; i < pageCount; i += 1) {
      const bytes = Buffer.concat([Buffer.from([0xff, 0xd8]), randomBytes(20_000 + i * 1000)]);
      pages.set(sha(bytes), bytes);
      hashes.push(sha(bytes));
    }
    await storage.db.transaction((tx) =>
      storage.outbox.append(tx, {
        id,
        kind: 'case',
        schemaVersion: 1,
        payload: {
          caseId: id,
          number: 'YS2026120100010001',
          serviceId: 'hr-employment-cert',
          status: '申请',
          submittedAt: clock.toISOString(),
          terminalId: terminal.id,
          applicant: { name: '张三丰', idNumber: '430181198001011239' },
          materials: [{ index: 0, name: '身份证', pages: hashes.map((sha256, i) => ({ pageId: `p${i}`, sha256 })) }],
        },
      }),
    );
    return hashes;
  }

  async function drain(sync: SyncWorker): Promise<void> {
    for (let cycle = 0; cycle < 500; cycle += 1) {
      if ((await sync.syncNow()).backlog === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    throw new Error(`not drained: ${JSON.stringify(sync.status())}`);
  }

  it('sends every page through cut connections and failures, then the case; the platform holds each page intact', async () => {
    const hashes = await queueCase('case-a', 5);
    await platform.admin.setFaults({ failPercent: 15, dropPercent: 15 });
    await drain(worker(source));
    expect(await platform.admin.recordIds()).toEqual(['case-a']);
    for (const sha256 of hashes) expect((await platform.server.blobs.read(sha256))?.equals(pages.get(sha256) ?? Buffer.alloc(0))).toBe(true);
    expect(await storage.outbox.deadLetters(storage.db)).toEqual([]);
  });

  it('without the pages the platform rejects the case, and the terminal dead-letters it with the reason', async () => {
    await queueCase('case-b', 2);
    await drain(worker(null));
    const dead = await storage.outbox.deadLetters(storage.db);
    expect(dead.map((d) => d.id)).toEqual(['case-b']);
    expect(dead[0]?.reason).toMatch(/does not hold/);
  });

  it('releases the terminal copies only after the platform holds them and the retention has passed', async () => {
    const hashes = await queueCase('case-c', 2);
    const sync = new SyncWorker({
      db: storage.db,
      outbox: storage.outbox,
      logger: silentLogger(),
      now: () => clock,
      config: { baseUrl: platform.url, terminalId: terminal.id, secret: terminal.secret, batchSize: 50, intervalMs: 60_000, retentionDays: 7, timeoutMs: 5_000, backoff: { baseMs: 10, maxMs: 50 } },
      blobs: source,
    });
    workers.push(sync);
    await sync.syncNow();
    expect(released).toEqual([]);
    clock = new Date(clock.getTime() + 6 * 86_400_000);
    await sync.syncNow();
    expect(released).toEqual([]);
    clock = new Date(clock.getTime() + 2 * 86_400_000);
    await sync.syncNow();
    expect([...released].sort()).toEqual([...hashes].sort());
    await sync.syncNow();
    expect(released).toHaveLength(2);
  });
});
