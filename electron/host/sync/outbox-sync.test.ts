import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataKey } from '../storage/crypto.js';
import { Database } from '../storage/database.js';
import { Outbox, outboxMigrations } from '../storage/outbox.js';

/** The outbox methods sync relies on (electron/host/storage/outbox.ts, migration 2). */
let dir: string;
let db: Database;
const key = DataKey.fromBytes(randomBytes(32));
const outbox = new Outbox(key);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liuliu-outbox-'));
  db = await Database.open(join(dir, 'test.db'));
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function queue(ids: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const id of ids) await outbox.append(tx, { id, kind: 'rating', schemaVersion: 1, payload: { stars: 5, name: '张三丰' } });
  });
}

describe('outbox migration 2', () => {
  it('upgrades a version-1 outbox in place, keeping its rows', async () => {
    await db.migrate('outbox', outboxMigrations.slice(0, 1));
    await queue(['old-1']);
    expect(await db.migrate('outbox', outboxMigrations)).toEqual([2]);
    const columns = await db.all<{ name: string }>('PRAGMA table_info(outbox)');
    expect(columns.map((c) => c.name)).toContain('dead_at');
    expect((await outbox.pending(db, 10)).map((row) => row.id)).toEqual(['old-1']);
  });
});

describe('outbox sync bookkeeping', () => {
  beforeEach(async () => {
    await db.migrate('outbox', outboxMigrations);
  });

  it('lists every pending row in order, due or not, and reports an unreadable payload instead of throwing', async () => {
    await queue(['a', 'b', 'c']);
    await db.run("UPDATE outbox SET payload = X'00010203' WHERE id = 'b'");
    await db.transaction((tx) => outbox.recordAttempt(tx, [{ id: 'c', nextAttemptAt: new Date(Date.now() + 60_000) }], 'HTTP 500'));
    const rows = await outbox.queued(db, 10);
    expect(rows.map((row) => [row.id, row.unreadable === null])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
    expect(rows[0]?.payload).toEqual({ stars: 5, name: '张三丰' });
    expect(rows[1]?.payload).toBeNull();
    expect(rows[2]).toMatchObject({ attempts: 1, lastError: 'HTTP 500' });
    expect(rows[2]?.nextAttemptAt).not.toBeNull();
  });

  it('marks synced and dead, lists dead letters without payloads, and purges synced rows after retention', async () => {
    await queue(['s1', 's2', 'd1', 'p1']);
    const t0 = new Date('2026-03-01T08:00:00.000Z');
    await db.transaction(async (tx) => {
      await outbox.markSynced(tx, ['s1', 's2'], t0);
      await outbox.markDead(tx, [{ id: 'd1', reason: 'unknown record kind "x"' }], t0);
    });
    expect(await outbox.counts(db)).toEqual({ pending: 1, synced: 2, dead: 1 });
    expect(await outbox.deadLetters(db)).toEqual([
      { id: 'd1', kind: 'rating', schemaVersion: 1, createdAt: expect.any(String) as string, attempts: 0, reason: 'unknown record kind "x"', deadAt: t0.toISOString() },
    ]);
    // A synced row cannot be dragged back to dead, nor re-marked.
    await db.transaction((tx) => outbox.markDead(tx, [{ id: 's1', reason: 'late' }], t0));
    expect(await outbox.counts(db)).toEqual({ pending: 1, synced: 2, dead: 1 });

    expect(await outbox.purgeSynced(db, t0)).toBe(0);
    expect(await outbox.purgeSynced(db, new Date(t0.getTime() + 1))).toBe(2);
    expect(await outbox.counts(db)).toEqual({ pending: 1, synced: 0, dead: 1 });
  });
});
