import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataKey } from './crypto.js';
import { Database } from './database.js';
import { Outbox, outboxMigrations } from './outbox.js';

async function openTemp(): Promise<{ db: Database; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-db-'));
  const db = await Database.open(join(dir, 'test.db'));
  return { db, dir };
}

describe('Database', () => {
  it('runs in WAL mode and applies each migration once', async () => {
    const { db } = await openTemp();
    const mode = await db.get<{ journal_mode: string }>('PRAGMA journal_mode');
    expect(mode?.journal_mode).toBe('wal');
    const migrations = [
      { version: 1, name: 'a', up: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'b', up: 'ALTER TABLE a ADD COLUMN y TEXT' },
    ];
    expect(await db.migrate('test', migrations)).toEqual([1, 2]);
    expect(await db.migrate('test', migrations)).toEqual([]);
    await expect(db.migrate('gappy', [{ version: 2, name: 'x', up: '' }])).rejects.toThrow(/without gaps/);
    await db.close();
  });

  it('rolls a failed transaction back whole and keeps other callers out of it', async () => {
    const { db } = await openTemp();
    await db.exec('CREATE TABLE t (v INTEGER)');
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t VALUES (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.all('SELECT * FROM t')).toEqual([]);

    // A write issued while a transaction is open must land after it, not inside it.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction(async (t) => {
      await t.run('INSERT INTO t VALUES (2)');
      await gate;
      throw new Error('abort');
    });
    const outside = db.run('INSERT INTO t VALUES (3)');
    release();
    await expect(tx).rejects.toThrow('abort');
    await outside;
    expect(await db.all<{ v: number }>('SELECT v FROM t')).toEqual([{ v: 3 }]);
    await db.close();
  });
});

describe('Outbox', () => {
  it('stores the record and its outbox row together, payload sealed at rest', async () => {
    const { db, dir } = await openTemp();
    await db.migrate('outbox', outboxMigrations);
    await db.exec('CREATE TABLE rating (id TEXT PRIMARY KEY, stars INTEGER NOT NULL)');
    const outbox = new Outbox(DataKey.loadOrCreate(join(dir, 'keys', 'data.key')));

    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO rating VALUES (?, ?)', ['r1', 5]);
      await outbox.append(tx, { id: 'r1', kind: 'rating', schemaVersion: 1, payload: { stars: 5, idNumber: '430181198001011239' } });
    });
    // A failing record write takes its outbox row with it.
    await expect(
      db.transaction(async (tx) => {
        await outbox.append(tx, { id: 'r2', kind: 'rating', schemaVersion: 1, payload: { stars: 9 } });
        await tx.run('INSERT INTO rating VALUES (?, ?)', ['r2', null]);
      }),
    ).rejects.toThrow(/NOT NULL/);

    const pending = await outbox.pending(db, 10);
    expect(pending.map((row) => row.id)).toEqual(['r1']);
    expect(pending[0]?.payload).toEqual({ stars: 5, idNumber: '430181198001011239' });
    expect(await outbox.counts(db)).toEqual({ pending: 1, synced: 0, dead: 0 });
    await db.close();

    // Closing checkpoints the WAL into the main file, so the main file holds everything.
    const fileBytes = readFileSync(join(dir, 'test.db')).toString('latin1');
    expect(fileBytes).toContain('rating');
    expect(fileBytes).not.toContain('430181198001011239');
  });

  it('refuses a sealed value opened with another key', () => {
    const a = DataKey.fromBytes(Buffer.alloc(32, 1));
    const b = DataKey.fromBytes(Buffer.alloc(32, 2));
    expect(a.openJson(a.sealJson({ x: 1 }))).toEqual({ x: 1 });
    expect(() => b.open(a.seal('secret'))).toThrow();
  });
});
