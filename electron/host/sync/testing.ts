import { join } from 'node:path';
import { DataKey } from '../storage/crypto.js';
import { Database } from '../storage/database.js';
import { Outbox, outboxMigrations } from '../storage/outbox.js';

/**
 * A terminal's storage as the host opens it (database, data key, outbox), for
 * the sync tests, the kill -9 child and the bench.
 */
export interface TerminalStorage {
  db: Database;
  outbox: Outbox;
}

export async function openTerminalStorage(dir: string): Promise<TerminalStorage> {
  const db = await Database.open(join(dir, 'liuliu.db'));
  await db.migrate('outbox', outboxMigrations);
  return { db, outbox: new Outbox(DataKey.loadOrCreate(join(dir, 'keys', 'data.key'))) };
}

/** Queues `count` rating records with ids `${prefix}-${i}`, 500 per transaction. */
export async function queueRatings(storage: TerminalStorage, prefix: string, count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let start = from; start < from + count; start += 500) {
    const end = Math.min(from + count, start + 500);
    await storage.db.transaction(async (tx) => {
      for (let i = start; i < end; i += 1) {
        const id = `${prefix}-${i}`;
        await storage.outbox.append(tx, { id, kind: 'rating', schemaVersion: 1, payload: { stars: 1 + (i % 5), serviceId: 'ps-idcard-reissue', comment: '窗口服务很好' } });
        ids.push(id);
      }
    });
  }
  return ids;
}
